/**
 * Where an invoked actor finds the services of the instance it runs in.
 *
 * `machine.provide()` builds a whole new state-node tree (about 48 KB for the auth machine), so
 * providing per instance made every createAuth() cost that much. Instead the machines are provided
 * once, with actors that look their services up here, by the actor system they run in: each
 * instance binds its own services to its own system before it starts. A direct value works too
 * (tests and the testing kit provide a machine per store).
 */
export type ServicesSource<T> = T | ServiceRegistry<T>;

/** An XState actor system, as its actors see it (only its identity is used). */
type ActorSystem = object;

/** Services looked up by the actor system an actor runs in: one provided machine, many instances. */
export interface ServiceRegistry<T> {
  /** Binds `services` to `actor`'s system (and so to every actor it spawns); call before start(). */
  bind(
    actor: {
      /** The actor's system: its actors, and the ones they spawn, look their services up by it. */
      readonly system: ActorSystem;
    },
    services: T,
  ): void;
  /** The services bound to `system`; throws when nothing was bound (a programming error). */
  of(system: ActorSystem): T;
}

/** A registry of services per actor system; `name` prefixes the error a lookup with nothing bound throws. */
export function createServiceRegistry<T extends object>(name: string): ServiceRegistry<T> {
  const bySystem = new WeakMap<ActorSystem, T>();
  return {
    bind: (actor, services) => void bySystem.set(actor.system, services),
    of(system) {
      const services = bySystem.get(system);
      if (!services) throw new Error(`${name}: no services are bound to this actor system; call bind() before start()`);
      return services;
    },
  };
}

/** A lookup for either kind of source. */
export function resolverOf<T>(source: ServicesSource<T>): (system: ActorSystem) => T {
  if (isRegistry(source)) return (system) => source.of(system);
  return () => source;
}

function isRegistry<T>(source: ServicesSource<T>): source is ServiceRegistry<T> {
  const candidate = source as Partial<ServiceRegistry<T>>;
  return typeof candidate.of === 'function' && typeof candidate.bind === 'function';
}
