import "cdktf/lib/testing/adapters/jest";
import { Testing } from "cdktf";
import { skipTokenTraces } from "../environments/token-traces";

// Registers the cdktf jest matchers (toHaveResource, toHaveResourceWithProperties, toHaveProvider …).
Testing.setupJest();

// Jest's source-map support would map every frame of the trace cdktf captures for each token, about
// half of the time a test spends synthesizing; real errors keep their mapped traces.
skipTokenTraces();
