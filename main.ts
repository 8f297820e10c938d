import { synthPlatform } from "./environments/synth";

// `cdktf synth` runs this file: one stack for the state backend (`bootstrap`) and one per environment.
process.exitCode = synthPlatform();
