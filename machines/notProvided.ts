import { ErrorNames } from './errors/registry.js';

/**
 * Placeholder for an actor the machine declares in setup() but does not implement: machines stay
 * free of I/O, and whoever runs them supplies the implementation with machine.provide({ actors }).
 */
export function notProvided(actor: string): () => Promise<never> {
  return () =>
    Promise.reject({
      name: ErrorNames.actorNotProvided,
      message: `The '${actor}' actor has no implementation: supply one with machine.provide({ actors: { ${actor} } })`,
    });
}
