/**
 * Egress CIDRs of the machines that run `cdktf deploy` against environments whose API server is
 * reached through the public endpoint (`kubernetes.apiAccess: "public-allowlist"`): the CI runners'
 * NAT addresses and the platform team's VPN. EKS admits only these to the public endpoint.
 *
 * 203.0.113.0/28 is a documentation range (RFC 5737) standing in for the real addresses: replace it
 * before the first deploy, or nobody reaches the cluster (see docs/cluster-access.md).
 */
export const DEPLOY_RUNNER_CIDRS: readonly string[] = ["203.0.113.0/28"];
