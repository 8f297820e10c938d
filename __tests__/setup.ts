import "cdktf/lib/testing/adapters/jest";
import { Testing } from "cdktf";

// Registers the cdktf jest matchers (toHaveResource, toHaveResourceWithProperties, toHaveProvider …).
Testing.setupJest();
