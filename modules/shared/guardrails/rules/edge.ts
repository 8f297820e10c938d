import { Rule, block, blocks, isSet, isTrue, perResource } from "../engine";

/** CloudFront security policies at or above TLS 1.2 (2021 ciphers). */
export const ALLOWED_CLOUDFRONT_TLS: readonly string[] = ["TLSv1.2_2021", "TLSv1.2_2025", "TLSv1.3_2025"];

/** CloudFront and load balancers. */
export const EDGE_RULES: readonly Rule[] = [
  {
    id: "AIVO-CLOUDFRONT-TLS",
    severity: "error",
    checkov: ["CKV_AWS_174", "CKV_AWS_34"],
    message: `CloudFront distributions serve HTTPS only, with a custom certificate and a ${ALLOWED_CLOUDFRONT_TLS.join(" / ")} security policy`,
    fix: 'use an ACM certificate with minimum_protocol_version "TLSv1.2_2021" and viewer_protocol_policy "redirect-to-https" or "https-only" on every cache behavior',
    evaluate: perResource(["aws_cloudfront_distribution"], (r) => {
      const problems: string[] = [];
      const cert = block(r.config.viewer_certificate);
      if (isTrue(cert.cloudfront_default_certificate)) problems.push("default certificate");
      else if (!ALLOWED_CLOUDFRONT_TLS.includes(cert.minimum_protocol_version)) problems.push(`minimum_protocol_version ${cert.minimum_protocol_version ?? "(default TLSv1)"}`);
      const behaviors = [...blocks(r.config.default_cache_behavior), ...blocks(r.config.ordered_cache_behavior)];
      const plain = behaviors.filter((b) => b.viewer_protocol_policy === "allow-all");
      if (plain.length) problems.push(`viewer_protocol_policy allow-all on ${plain.map((b) => b.path_pattern ?? "default").join(", ")}`);
      return problems.length ? problems.join("; ") : undefined;
    }),
  },
  {
    id: "AIVO-CLOUDFRONT-WAF",
    severity: "error",
    checkov: ["CKV_AWS_68"],
    message: "CloudFront distributions are protected by a WAF web ACL",
    fix: "set web_acl_id to the WebAcl (modules/aws/edge/waf) ARN",
    evaluate: perResource(["aws_cloudfront_distribution"], (r) => (isSet(r.config.web_acl_id) ? undefined : "no web ACL")),
  },
  {
    id: "AIVO-LB-HARDENING",
    severity: "error",
    checkov: ["CKV_AWS_131", "CKV_AWS_2", "CKV_AWS_103"],
    message: "Application load balancers drop invalid headers, and listeners are HTTPS with a TLS 1.2+ policy or redirect to HTTPS",
    fix: 'set drop_invalid_header_fields = true; listeners: protocol "HTTPS" with ssl_policy "ELBSecurityPolicy-TLS13-1-2-2021-06", or a redirect action to HTTPS',
    evaluate: perResource(["aws_lb", "aws_lb_listener"], (r) => {
      if (r.type === "aws_lb") {
        const alb = (r.config.load_balancer_type ?? "application") === "application";
        return alb && !isTrue(r.config.drop_invalid_header_fields) ? "drop_invalid_header_fields off" : undefined;
      }
      const protocol = r.config.protocol ?? "HTTP";
      if (protocol === "HTTP") {
        const redirects = blocks(r.config.default_action).every((a) => a.type === "redirect" && block(a.redirect).protocol === "HTTPS");
        return redirects ? undefined : "plain HTTP listener";
      }
      if (protocol === "HTTPS" || protocol === "TLS") {
        const policy = String(r.config.ssl_policy ?? "ELBSecurityPolicy-2016-08");
        return /TLS13|TLS-1-2|FS-1-2/.test(policy) ? undefined : `ssl_policy ${policy}`;
      }
      return undefined;
    }),
  },
];
