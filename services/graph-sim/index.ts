/** The local Microsoft Graph stand-in: start it in-process, or run it from the command line. */
export { startGraphSim, type GraphSim, type GraphSimOptions } from './start';
export { runGraphSimCli, DEFAULT_GRAPH_SIM_PORT, type GraphSimCliOptions } from './cli';
export { readSimCaPem, simCaPath } from './cert';
export { DEFAULT_TAP_POLICY, type TapPolicy } from './tap';
export type { FaultConfig } from './faults';
export { DEMO_TEAMS_APP, type SimTeamsApp } from './catalog';
export type { LimitsConfig } from './limits';
export type { LoggedRequest } from './request-log';
export type { SimState } from './state';
