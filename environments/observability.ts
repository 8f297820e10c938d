import type { AlertReceiverSettings } from "../modules/kubernetes/addons/kube-prometheus-stack";
import { PLATFORM_TEAM_EMAIL } from "./types";

/** The Slack channel of the platform's alerts (infrastructure document, "Alerting"). */
export const PLATFORM_SLACK_CHANNEL = "#platform-infrastructure";
/** The PagerDuty service critical alerts page (infrastructure document, "Alerting"). */
export const PLATFORM_ON_CALL_SERVICE = "Platform On-Call";

/**
 * The receivers of an environment's Alertmanager: Slack and e-mail everywhere, PagerDuty where
 * `paging` is on. Mail goes through Amazon SES's SMTP interface in us-east-1; the SMTP user name is
 * the SES SMTP user's (an identifier, not a secret); its password is the Secrets Manager secret
 * `aivo/<env>/monitoring/smtp-password`.
 */
export function platformReceivers(paging: boolean): AlertReceiverSettings {
  return {
    ...(paging ? { pagerDuty: { service: PLATFORM_ON_CALL_SERVICE } } : {}),
    slack: { channel: PLATFORM_SLACK_CHANNEL },
    email: {
      to: PLATFORM_TEAM_EMAIL,
      from: "alertmanager@aivo.edu",
      smarthost: "email-smtp.us-east-1.amazonaws.com:587",
      authUsername: "aivo-alertmanager",
    },
  };
}
