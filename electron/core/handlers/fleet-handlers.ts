import type { HandlerGroup } from '../router';
import type { FleetService } from '../fleets/fleet-service';

export type FleetCommand =
  | 'fleets.preview'
  | 'fleets.compose'
  | 'fleets.launch'
  | 'fleets.list'
  | 'fleets.get'
  | 'fleets.kill'
  | 'fleets.relaunch'
  | 'fleets.prompt'
  | 'fleets.savePrompt'
  | 'fleets.feed'
  | 'fleets.report';

export function fleetHandlers(fleets: FleetService): HandlerGroup<FleetCommand> {
  return {
    'fleets.preview': ({ root }) => fleets.preview(root),
    'fleets.compose': (input) => fleets.compose(input),
    'fleets.launch': ({ root }) => fleets.launch(root),
    'fleets.list': () => fleets.list(),
    'fleets.get': ({ fleet }) => fleets.get(fleet),
    'fleets.kill': ({ fleet, worker, force }) => fleets.kill(fleet, worker, force),
    'fleets.relaunch': ({ fleet, workerId }) => fleets.relaunch(fleet, workerId),
    'fleets.prompt': ({ fleet, workerId }) => fleets.prompt(fleet, workerId),
    'fleets.savePrompt': ({ fleet, workerId, text }) => fleets.savePrompt(fleet, workerId, text),
    'fleets.feed': ({ fleet, workerId, after, limit }) => fleets.feed(fleet, { workerId: workerId ?? null, after, limit }),
    'fleets.report': ({ fleet }) => fleets.report(fleet),
  };
}
