import { LocalBackend } from "cdktf";
import { Construct } from "constructs";
import { Guardrails } from "../modules/guardrails";
import { Naming } from "../modules/naming";
import { StateBackend } from "../modules/state-backend";
import { PlatformStack } from "./platform-stack";
import { STATE_BACKEND } from "./state";

/** The stack name: `cdktf deploy bootstrap`. */
export const BOOTSTRAP_STACK = "bootstrap";

export interface BootstrapStackProps {
  /** Value of the `CostCenter` tag. */
  readonly costCenter: string;
}

/**
 * Creates the state bucket, lock table and key every environment's S3 backend uses. It keeps its own
 * state locally (`terraform.bootstrap.tfstate`): it is deployed once, before anything else exists.
 */
export class BootstrapStack extends PlatformStack {
  readonly stateBackend: StateBackend;

  constructor(scope: Construct, props: BootstrapStackProps) {
    super(scope, BOOTSTRAP_STACK, {
      region: STATE_BACKEND.region,
      tags: { project: STATE_BACKEND.project, environment: STATE_BACKEND.bootstrapEnvironment, costCenter: props.costCenter },
    });
    new LocalBackend(this, { path: "terraform.bootstrap.tfstate" });
    this.stateBackend = new StateBackend(this, "state", {
      naming: new Naming(STATE_BACKEND.project, STATE_BACKEND.bootstrapEnvironment),
      bucketName: STATE_BACKEND.bucket,
      lockTableName: STATE_BACKEND.lockTable,
    });
    Guardrails.suppress(
      this,
      "AIVO-BACKEND-ENCRYPTED-LOCKED",
      "bootstrap creates the state bucket and lock table, so its own state can only start local (migrate it into the bucket afterwards)",
    );
    Guardrails.suppress(
      this.stateBackend,
      "AIVO-S3-ACCESS-LOGGING",
      "the state bucket's reads and writes are recorded by CloudTrail data events (if enabled); an access-log bucket would be a second bootstrap resource to secure",
    );
  }
}
