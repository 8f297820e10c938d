import { LocalBackend } from "cdktf";
import { Construct } from "constructs";
import { Guardrails } from "../modules/shared/guardrails";
import { Naming } from "../modules/shared/naming";
import { declareOutputs } from "../modules/shared/outputs";
import { StateBackend } from "../modules/aws/data/state-backend";
import { PlatformStack } from "./platform-stack";
import { BOOTSTRAP_STACK } from "./stack-names";
import { STATE_BACKEND } from "./state";

/**
 * Where the bootstrap stack keeps its local state, relative to its synthesized folder
 * (`cdktf.out/stacks/bootstrap/`): `state/terraform.bootstrap.tfstate` at the repository root,
 * outside the build output (`rm -rf cdktf.out` must not delete it) and gitignored.
 */
export const BOOTSTRAP_STATE_PATH = "../../../state/terraform.bootstrap.tfstate";

export { BOOTSTRAP_STACK } from "./stack-names";

export interface BootstrapStackProps {
  /** Value of the `CostCenter` tag. */
  readonly costCenter: string;
}

/**
 * Creates the state bucket, lock table and key every environment's S3 backend uses. It keeps its own
 * state locally (`BOOTSTRAP_STATE_PATH`): it is deployed once, before anything else exists.
 */
export class BootstrapStack extends PlatformStack {
  readonly stateBackend: StateBackend;

  constructor(scope: Construct, props: BootstrapStackProps) {
    super(scope, BOOTSTRAP_STACK, {
      region: STATE_BACKEND.region,
      tags: { project: STATE_BACKEND.project, environment: STATE_BACKEND.bootstrapEnvironment, costCenter: props.costCenter },
    });
    new LocalBackend(this, { path: BOOTSTRAP_STATE_PATH });
    this.stateBackend = new StateBackend(this, "state", {
      naming: new Naming(STATE_BACKEND.project, STATE_BACKEND.bootstrapEnvironment),
      bucketName: STATE_BACKEND.bucket,
      lockTableName: STATE_BACKEND.lockTable,
    });
    declareOutputs(this, {
      state_bucket: { value: this.stateBackend.bucket.bucket, description: "S3 bucket holding every other stack's state" },
      state_bucket_arn: { value: this.stateBackend.bucket.arn, description: "ARN of the state bucket" },
      lock_table: { value: this.stateBackend.lockTable.name, description: "DynamoDB table the S3 backend locks state in" },
      state_kms_key_arn: { value: this.stateBackend.key.keyArn, description: "CMK encrypting the state objects" },
      state_kms_key_alias: { value: this.stateBackend.kmsKeyAlias, description: "Alias of the state CMK (the backends' kms_key_id)" },
    });
    Guardrails.suppress(
      this,
      "AIVO-BACKEND-ENCRYPTED-LOCKED",
      "bootstrap creates the state bucket and lock table, so its own state can only start local (migrate it into the bucket afterwards)",
    );
    Guardrails.suppress(
      this.stateBackend,
      "AIVO-S3-ACCOUNT-SCOPED-NAME",
      "backend blocks cannot interpolate, so every stack names the state bucket literally (environments/state.ts STATE_BACKEND.bucket); if the name is taken, change it there",
    );
    Guardrails.suppress(
      this.stateBackend,
      "AIVO-S3-ACCESS-LOGGING",
      "the state bucket's reads and writes are recorded by CloudTrail data events (if enabled); an access-log bucket would be a second bootstrap resource to secure",
    );
  }
}
