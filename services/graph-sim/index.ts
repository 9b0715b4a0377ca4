/** The local Microsoft Graph stand-in: start it in-process, or run it from the command line. */
export { startGraphSim, type GraphSim, type GraphSimOptions } from './start';
export { runGraphSimCli } from './cli';
export { readSimCaPem, simCaPath } from './cert';
export { DEMO_TEAMS_APP } from './catalog';
