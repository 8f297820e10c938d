import { Testing } from "cdktf";
import { KmsAlias } from "@cdktf/provider-aws/lib/kms-alias";
import { KmsKey } from "@cdktf/provider-aws/lib/kms-key";
import { AwsContext } from "../modules/shared/aws-context";
import { CustomerManagedKey } from "../modules/shared/kms";
import { Naming } from "../modules/shared/naming";
import { onlyResource, policy, parse } from "./helpers";

const naming = new Naming("aivo", "development");

describe("CustomerManagedKey", () => {
  const synth = Testing.synthScope((scope) => {
    const context = AwsContext.of(scope);
    new CustomerManagedKey(scope, "logs", {
      naming,
      purpose: "flow-logs",
      description: "VPC flow logs",
      serviceGrants: [CustomerManagedKey.cloudWatchLogsGrant(context)],
    });
    new CustomerManagedKey(scope, "other", { naming, purpose: "other", description: "other" });
  });

  it("rotates, keeps a 30-day deletion window and is aliased alias/aivo/<env>/<purpose>", () => {
    expect(synth).toHaveResourceWithProperties(KmsKey, { enable_key_rotation: true, deletion_window_in_days: 30 });
    expect(synth).toHaveResourceWithProperties(KmsAlias, { name: "alias/aivo/development/flow-logs" });
  });

  it("grants the account's IAM and exactly the listed services", () => {
    const doc = parse(synth);
    const keys = Object.values(doc.resource!.aws_kms_key);
    const logs = policy(keys.find((k) => k.description === "VPC flow logs")!.policy);
    expect(logs.Statement.map((s) => s.Sid)).toEqual(["EnableAccountIamPolicies", "AllowLogs"]);
    expect(logs.Statement[1].Principal.Service).toMatch(/^logs\.\$\{data\.aws_region\.[\w-]+\.region\}\.amazonaws\.com$/);
    expect(Object.keys(logs.Statement[1].Condition.ArnLike)).toEqual(["kms:EncryptionContext:aws:logs:arn"]);
    const other = policy(keys.find((k) => k.description === "other")!.policy);
    expect(other.Statement).toHaveLength(1);
  });

  it("looks the account and region up once per stack, however many keys use them", () => {
    const doc = parse(synth);
    expect(Object.keys(doc.data!.aws_caller_identity)).toHaveLength(1);
    expect(Object.keys(doc.data!.aws_region)).toHaveLength(1);
  });

  it("rejects a deletion window KMS does not accept", () => {
    expect(() =>
      Testing.synthScope((scope) => {
        new CustomerManagedKey(scope, "k", { naming, purpose: "state", description: "d", deletionWindowInDays: 3 });
      }),
    ).toThrow("development.kms.state.deletionWindowInDays: 3 is outside 7-30 days, the range KMS accepts");
  });
});

describe("Naming", () => {
  it("builds resource names, aliases and paths from one convention", () => {
    expect(naming.name("eks")).toBe("aivo-development-eks");
    expect(naming.kmsAlias("eks-secrets")).toBe("alias/aivo/development/eks-secrets");
    expect(naming.path("eks", "cluster")).toBe("/aivo/development/eks/cluster");
  });

  it("rejects a name part AWS resource names cannot carry", () => {
    expect(() => new Naming("aivo", "Prod_1")).toThrow('naming.environment: "Prod_1" is not a valid name part');
  });
});

it("onlyResource reads a single resource", () => {
  const synth = Testing.synthScope((scope) => {
    new CustomerManagedKey(scope, "k", { naming, purpose: "p", description: "d" });
  });
  expect(onlyResource(synth, "aws_kms_alias").name).toBe("alias/aivo/development/p");
});
