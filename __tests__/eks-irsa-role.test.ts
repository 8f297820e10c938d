import { Testing } from "cdktf";
import { ServiceAccountRole, ServiceAccountRoleProps } from "../modules/aws/compute/irsa-role";
import { Naming } from "../modules/shared/naming";
import { configsOf, onlyResource, policy } from "./helpers";

const ISSUER = "oidc.eks.us-east-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE";
const PROVIDER = `arn:aws:iam::123456789012:oidc-provider/${ISSUER}`;
const base: ServiceAccountRoleProps = {
  naming: new Naming("aivo", "staging"),
  name: "eks-external-secrets",
  description: "External Secrets Operator",
  oidcProviderArn: PROVIDER,
  oidcIssuerUrl: ISSUER,
  namespace: "external-secrets",
  serviceAccount: "external-secrets",
  statements: [{ Sid: "ReadSecrets", Action: ["secretsmanager:GetSecretValue"], Resource: "arn:aws:secretsmanager:*:*:secret:aivo/*" }],
  managedPolicyArns: { ReadOnly: "arn:aws:iam::aws:policy/ReadOnlyAccess" },
};

describe("ServiceAccountRole", () => {
  let construct!: ServiceAccountRole;
  const synth = Testing.synthScope((scope) => {
    construct = new ServiceAccountRole(scope, "role", base);
  });

  it("trusts only the one service account, through the cluster's OIDC provider, for sts.amazonaws.com", () => {
    const role = onlyResource(synth, "aws_iam_role");
    expect(role.name).toBe("aivo-staging-eks-external-secrets");
    const trust = policy(role.assume_role_policy);
    expect(trust.Statement).toEqual([
      {
        Effect: "Allow",
        Sid: "AllowServiceAccountWebIdentity",
        Principal: { Federated: PROVIDER },
        Action: "sts:AssumeRoleWithWebIdentity",
        Condition: {
          StringEquals: {
            [`${ISSUER}:sub`]: "system:serviceaccount:external-secrets:external-secrets",
            [`${ISSUER}:aud`]: "sts.amazonaws.com",
          },
        },
      },
    ]);
  });

  it("carries the statements inline and attaches the managed policies", () => {
    const inline = policy(onlyResource(synth, "aws_iam_role_policy").policy);
    expect(inline.Statement).toEqual([{ Effect: "Allow", ...base.statements![0] }]);
    expect(configsOf(synth, "aws_iam_role_policy_attachment").map((a) => a.policy_arn)).toEqual(["arn:aws:iam::aws:policy/ReadOnlyAccess"]);
    expect(construct.roleArn).toMatch(/^\$\{TfToken/);
  });

  it("creates no inline policy when only managed policies are given", () => {
    const only = Testing.synthScope((scope) => {
      new ServiceAccountRole(scope, "r", { ...base, statements: undefined });
    });
    expect(configsOf(only, "aws_iam_role_policy")).toHaveLength(0);
  });

  const build = (overrides: Partial<ServiceAccountRoleProps>) => () =>
    Testing.synthScope((scope) => {
      new ServiceAccountRole(scope, "r", { ...base, ...overrides });
    });

  it("rejects a role without permissions", () => {
    expect(build({ statements: [], managedPolicyArns: {} })).toThrow(
      "staging.irsa.eks-external-secrets: the role has no permissions; give statements and/or managedPolicyArns",
    );
  });

  it("rejects an issuer with a scheme and names Kubernetes does not accept", () => {
    expect(build({ oidcIssuerUrl: `https://${ISSUER}` })).toThrow(
      `staging.irsa.eks-external-secrets.oidcIssuerUrl: "https://${ISSUER}" must not carry a scheme`,
    );
    expect(build({ namespace: "External_Secrets" })).toThrow(
      'staging.irsa.eks-external-secrets.namespace: "External_Secrets" is not a Kubernetes name',
    );
    expect(build({ serviceAccount: "*" })).toThrow('staging.irsa.eks-external-secrets.serviceAccount: "*" is not a Kubernetes name');
  });

  it("rejects a role name IAM cannot hold", () => {
    expect(build({ name: "x".repeat(60) })).toThrow(/staging\.irsa\.x+: role name "aivo-staging-x+" is 73 characters; IAM allows 64/);
  });
});
