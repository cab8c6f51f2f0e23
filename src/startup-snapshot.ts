// The binary starts from a V8 startup snapshot (sea-config.json "useSnapshot"): the bundle's top
// level runs once, at build time, and every start deserializes the resulting heap instead of
// compiling and evaluating oclif, the commands and the configuration schema again. Whatever a
// module works out from the process it runs in (environment, terminal) at load would therefore
// be frozen at build time: such code goes through atProcessStart.
import { startupSnapshot } from 'node:v8';

/** True while `node --build-snapshot` (or the SEA build with useSnapshot) evaluates the bundle. */
export const buildingSnapshot = startupSnapshot.isBuildingSnapshot();

/** Runs `fn` now, or, while the snapshot is being built, at the start of every process made from it. */
export function atProcessStart(fn: () => void): void {
  if (buildingSnapshot) startupSnapshot.addDeserializeCallback(fn);
  else fn();
}

/** Runs `main` now, or, while the snapshot is being built, as the main function of every process made from it. */
export function runMain(main: () => void): void {
  if (buildingSnapshot) startupSnapshot.setDeserializeMainFunction(main);
  else main();
}
