import { Testing, TerraformStack } from "cdktf";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { EncryptedLogGroups } from "../modules/aws/observability/log-group";
import { Naming } from "../modules/shared/naming";
import { configsOf, parse, policy } from "./helpers";

const naming = new Naming("aivo", "development");

function synth(props: Partial<ConstructorParameters<typeof EncryptedLogGroups>[2]> = {}) {
  const app = Testing.app();
  const stack = new TerraformStack(app, "test");
  new AwsProvider(stack, "aws", { region: "us-east-1" });
  const logs = new EncryptedLogGroups(stack, "logs", {
    naming,
    keyPurpose: "app-logs",
    description: "application logs",
    logGroups: { slow: "/aivo/development/app/slow", engine: "/aivo/development/app/engine" },
    retentionInDays: 30,
    retentionFieldPath: "development.logRetentionDays",
    ...props,
  });
  return { logs, doc: parse(Testing.synth(stack)) };
}

describe("EncryptedLogGroups", () => {
  const { logs, doc } = synth();

  it("creates every named group with the retention, encrypted with one CMK", () => {
    const groups = configsOf(doc, "aws_cloudwatch_log_group");
    expect(groups.map((g) => g.name).sort()).toEqual(["/aivo/development/app/engine", "/aivo/development/app/slow"]);
    for (const group of groups) {
      expect(group.retention_in_days).toBe(30);
      expect(group.kms_key_id).toMatch(/^\$\{aws_kms_key\.logs_key_\w+\.arn\}$/);
    }
    expect(configsOf(doc, "aws_kms_key")).toHaveLength(1);
    expect(logs.group("slow").name).toBeDefined();
  });

  it("lets only CloudWatch Logs of this account and region use the rotating key", () => {
    const [key] = configsOf(doc, "aws_kms_key");
    expect(key.enable_key_rotation).toBe(true);
    expect(key.description).toBe("Encrypts application logs");
    const logsStatement = policy(key.policy).Statement.find((s) => s.Sid === "AllowLogs")!;
    expect(logsStatement.Principal.Service).toMatch(/^logs\.\$\{data\.aws_region\.[\w-]+\.region\}\.amazonaws\.com$/);
    expect(logsStatement.Condition.ArnLike["kms:EncryptionContext:aws:logs:arn"]).toMatch(/:log-group:\*$/);
    expect(configsOf(doc, "aws_kms_alias")[0].name).toBe("alias/aivo/development/app-logs");
  });

  it("rejects a retention CloudWatch Logs does not accept, naming the field", () => {
    expect(() => synth({ retentionInDays: 45 })).toThrow("development.logRetentionDays: 45 is not a retention CloudWatch Logs accepts");
  });

  it("rejects an empty group list and an unknown group id", () => {
    expect(() => synth({ logGroups: {} })).toThrow("development.app-logs: no log group given; name at least one");
    expect(() => logs.group("missing")).toThrow('log-group: no group "missing"; known: slow, engine');
  });
});
