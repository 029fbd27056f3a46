// `authchart/actors`: the default actors of the bare machines (`authchart/machines`), for an app that
// provides some actors of its own and keeps these for the rest. docs/machines.md has the contract.
export { createActorServices, type ActorServices, type ActorServicesOptions } from '../../services/actors/actorServices.js';
export { createAuthActors, type AuthServices } from '../../services/actors/authActors.js';
export { createSignOutActors, type SignOutServices } from '../../services/actors/signOutActors.js';
export { createHostedUiActors, type HostedUiServices, type HostedUiSettings } from '../../services/actors/hostedUiActors.js';
export { createTabActors, type TabServices } from '../../services/actors/tabActors.js';
export { createServiceRegistry, type ServiceRegistry, type ServicesSource } from '../../services/actors/registry.js';
