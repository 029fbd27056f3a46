// The commands that switch emulator faults on and off, in the emulator and in the model.
import { FAULTS, describeFault, type FaultName, type FaultOp } from './faults';
import type { Command } from './commands';
import { bump } from './stats';
import type { Model, World } from './world';

export class SetFault implements Command {
  constructor(
    readonly op: FaultOp,
    readonly fault: FaultName,
  ) {}
  check = (): boolean => true;
  toString = () => `faults.set('${this.op}', ${describeFault(this.fault)})`;
  async run(model: Model, world: World): Promise<void> {
    bump(world.stats.commands, 'faults.set');
    bump(world.stats.faults, `${this.op} ${describeFault(this.fault)}`);
    world.emu.faults.set(this.op, FAULTS[this.fault]);
    model.faults.set(this.op, this.fault);
    if (this.op === 'RevokeToken' && this.fault === 'blackhole') model.revokeTokenBlackholed = true;
  }
}

export class ClearFault implements Command {
  constructor(readonly op: FaultOp | undefined) {}
  check = (): boolean => true;
  toString = () => (this.op ? `faults.clear('${this.op}')` : 'faults.clear()');
  async run(model: Model, world: World): Promise<void> {
    bump(world.stats.commands, 'faults.clear');
    if (this.op) {
      world.emu.faults.clear(this.op);
      model.faults.delete(this.op);
    } else {
      world.emu.faults.clear();
      model.faults.clear();
    }
  }
}
