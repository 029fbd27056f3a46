// Calls made from event handlers: auth.on(type, handler) where the handler calls the API.
import { INCLUDE_KB3 } from './bounds';
import { GetSession, SignIn, SignOut, type Command } from './commands';
import { bump } from './stats';
import type { Model, Who, World } from './world';

export const HANDLER_EVENTS = ['signedOut', 'tokenRefresh_failure', 'signedIn'] as const;
export type HandlerEvent = (typeof HANDLER_EVENTS)[number];
export const HANDLER_CALLS = ['signIn', 'signOut', 'getSession'] as const;
export type HandlerCallName = (typeof HANDLER_CALLS)[number];

/**
 * Registers, for the next `event` of instance `who`, a handler that calls `call` on that instance
 * and records the promise. Until it fires and its call has been awaited, the commands check only
 * what holds whatever the handler does (world.racing), then learn the states. The handler's call
 * must settle, with a result or an AuthError, within the sign-in bound (invariant 2).
 */
export class OnNextEvent implements Command {
  constructor(
    readonly who: Who,
    readonly event: HandlerEvent,
    readonly call: HandlerCallName,
  ) {}
  check = (model: Readonly<Model>): boolean => (this.who === 'A' || model.signedInB !== null) && (INCLUDE_KB3 || this.call !== 'signOut' || model.signedInB === null);
  toString = () => `${this.who === 'B' ? 'b.' : ''}on('${this.event}', () => ${this.call}())`;
  async run(_model: Model, world: World): Promise<void> {
    bump(world.stats.commands, `on('${this.event}', () => ${this.call}())`);
    const label = `${this.who === 'B' ? 'b.' : ''}${this.call}() on ${this.event}`;
    // signOut: checked at resolution (signedOutLocally → nothing stored); getSession: hands out no revoked token.
    world.armHandler(this.who, this.event, label, () => {
      if (this.call === 'signIn') return SignIn.send(world, this.who);
      if (this.call === 'signOut') return new SignOut(false, this.who).call(world);
      return new GetSession(false, this.who).call(world);
    });
  }
}
