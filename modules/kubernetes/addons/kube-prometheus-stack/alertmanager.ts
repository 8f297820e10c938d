/**
 * The Alertmanager configuration as a typed object: the routing tree and the receivers of the
 * platform (infrastructure document, "Alerting"): `critical` pages PagerDuty "Platform On-Call"
 * (where paging is on), `critical`/`alert`/`warning` go to Slack #platform-infrastructure, and
 * e-mail to the platform team is the escalation of `critical` and `alert`. Every credential is read
 * from a file of the mounted Secret (`*_file`), never written into the configuration.
 */
import { EMAIL_ADDRESS_PATTERN, SEVERITIES } from "../../../aws/observability/alerting";

/** The Kubernetes Secret (written by External Secrets) Alertmanager mounts under `/etc/alertmanager/secrets/<name>/`. */
export const ALERTMANAGER_SECRET_NAME = "alertmanager-credentials";
/** The keys of that Secret, one per credential. */
export const ALERTMANAGER_SECRET_KEYS = {
  pagerDutyRoutingKey: "pagerduty-routing-key",
  slackWebhookUrl: "slack-webhook-url",
  smtpPassword: "smtp-password",
} as const;
export type AlertmanagerCredential = keyof typeof ALERTMANAGER_SECRET_KEYS;

/** Where the Alertmanager pods see a key of the mounted Secret. */
export function alertmanagerSecretFile(credential: AlertmanagerCredential): string {
  return `/etc/alertmanager/secrets/${ALERTMANAGER_SECRET_NAME}/${ALERTMANAGER_SECRET_KEYS[credential]}`;
}

/** Receiver names of the routing tree. */
export const RECEIVERS = { none: "null", pagerDuty: "pagerduty-platform-on-call", slack: "slack-platform-infrastructure", email: "email-platform-team" } as const;

/** Who receives the cluster's alerts (the environment config's `observability.receivers`). */
export interface AlertReceiverSettings {
  /** Page PagerDuty for `critical` alerts; the name of the PagerDuty service the routing key belongs to. @default no paging */
  readonly pagerDuty?: { readonly service: string };
  /** The Slack channel of `critical`, `alert` and `warning` alerts (the webhook URL lives in Secrets Manager). */
  readonly slack: { readonly channel: string };
  /** The escalation e-mail of `critical` and `alert` alerts. */
  readonly email: {
    /** Recipient, e.g. platform@aivo.edu. */
    readonly to: string;
    /** Sender address. */
    readonly from: string;
    /** The SMTP relay, `host:port` (STARTTLS is required). */
    readonly smarthost: string;
    /** The SMTP user name (the password lives in Secrets Manager). */
    readonly authUsername: string;
  };
}

/** Throws `<where>.<field>: …` for a missing or malformed receiver. */
export function validateReceivers(where: string, receivers: AlertReceiverSettings | undefined): void {
  if (!receivers) throw new Error(`${where}: missing; give slack and email receivers (and pagerDuty where alerts page)`);
  if (!receivers.slack || !/^#[a-z0-9][a-z0-9_-]{0,79}$/.test(receivers.slack.channel ?? "")) {
    throw new Error(`${where}.slack.channel: "${receivers.slack?.channel}" is missing or not a Slack channel like #platform-infrastructure`);
  }
  if (!receivers.email) throw new Error(`${where}.email: missing; the escalation e-mail receiver is required`);
  for (const field of ["to", "from"] as const) {
    if (!EMAIL_ADDRESS_PATTERN.test(receivers.email[field] ?? "")) {
      throw new Error(`${where}.email.${field}: "${receivers.email[field]}" is not an email address; use the form name@example.com`);
    }
  }
  if (!/^[a-z0-9.-]+:(25|465|587|2587)$/.test(receivers.email.smarthost ?? "")) {
    throw new Error(`${where}.email.smarthost: "${receivers.email.smarthost}" is not host:port with an SMTP port (25, 465, 587, 2587)`);
  }
  if (!receivers.email.authUsername) throw new Error(`${where}.email.authUsername: missing; the SMTP relay needs a user name`);
  if (receivers.pagerDuty && !receivers.pagerDuty.service) {
    throw new Error(`${where}.pagerDuty.service: missing; name the PagerDuty service (e.g. "Platform On-Call") or remove pagerDuty`);
  }
}

/** One route of the tree (Alertmanager's `route`). */
export interface AlertmanagerRoute {
  readonly receiver?: string;
  readonly matchers?: readonly string[];
  readonly group_by?: readonly string[];
  readonly group_wait?: string;
  readonly group_interval?: string;
  readonly repeat_interval?: string;
  readonly continue?: boolean;
  readonly routes?: readonly AlertmanagerRoute[];
}

export interface AlertmanagerReceiver {
  readonly name: string;
  readonly pagerduty_configs?: readonly { routing_key_file: string; description: string; send_resolved: boolean; severity: string }[];
  readonly slack_configs?: readonly { api_url_file: string; channel: string; send_resolved: boolean; title: string; text: string }[];
  readonly email_configs?: readonly {
    to: string;
    from: string;
    smarthost: string;
    auth_username: string;
    auth_password_file: string;
    require_tls: boolean;
    send_resolved: boolean;
  }[];
}

export interface AlertmanagerConfig {
  readonly route: AlertmanagerRoute;
  readonly receivers: readonly AlertmanagerReceiver[];
  readonly inhibit_rules: readonly { source_matchers: string[]; target_matchers: string[]; equal: string[] }[];
}

/** The credentials a set of receivers needs (the keys the ExternalSecret must write). */
export function requiredCredentials(receivers: AlertReceiverSettings): AlertmanagerCredential[] {
  return [...(receivers.pagerDuty ? (["pagerDutyRoutingKey"] as const) : []), "slackWebhookUrl", "smtpPassword"];
}

/** Builds the Alertmanager configuration of `receivers`. */
export function alertmanagerConfig(receivers: AlertReceiverSettings): AlertmanagerConfig {
  const paging = receivers.pagerDuty !== undefined;
  const [warning, alert, critical] = SEVERITIES;
  const routes: AlertmanagerRoute[] = [
    // kube-prometheus-stack's always-firing heartbeat and informational alerts go nowhere.
    { receiver: RECEIVERS.none, matchers: ['alertname="Watchdog"'] },
    { receiver: RECEIVERS.none, matchers: ['alertname="InfoInhibitor"'] },
    ...(paging ? [{ receiver: RECEIVERS.pagerDuty, matchers: [`severity="${critical}"`], continue: true, repeat_interval: "1h" }] : []),
    { receiver: RECEIVERS.slack, matchers: [`severity=~"${critical}|${alert}|${warning}"`], continue: true },
    { receiver: RECEIVERS.email, matchers: [`severity=~"${critical}|${alert}"`], repeat_interval: "12h" },
  ];
  const slackText = '{{ range .Alerts }}{{ .Annotations.summary }}\n{{ .Annotations.description }}\n{{ end }}';
  return {
    route: {
      receiver: RECEIVERS.none,
      group_by: ["alertname", "namespace", "severity"],
      group_wait: "30s",
      group_interval: "5m",
      repeat_interval: "4h",
      routes,
    },
    receivers: [
      { name: RECEIVERS.none },
      ...(paging
        ? [
            {
              name: RECEIVERS.pagerDuty,
              pagerduty_configs: [
                {
                  routing_key_file: alertmanagerSecretFile("pagerDutyRoutingKey"),
                  description: `[${receivers.pagerDuty!.service}] {{ .CommonLabels.alertname }}: {{ .CommonAnnotations.summary }}`,
                  severity: critical,
                  send_resolved: true,
                },
              ],
            },
          ]
        : []),
      {
        name: RECEIVERS.slack,
        slack_configs: [
          {
            api_url_file: alertmanagerSecretFile("slackWebhookUrl"),
            channel: receivers.slack.channel,
            send_resolved: true,
            title: "[{{ .Status | toUpper }}] {{ .CommonLabels.severity }}: {{ .CommonLabels.alertname }}",
            text: slackText,
          },
        ],
      },
      {
        name: RECEIVERS.email,
        email_configs: [
          {
            to: receivers.email.to,
            from: receivers.email.from,
            smarthost: receivers.email.smarthost,
            auth_username: receivers.email.authUsername,
            auth_password_file: alertmanagerSecretFile("smtpPassword"),
            require_tls: true,
            send_resolved: true,
          },
        ],
      },
    ],
    // A critical alert silences the lower severities of the same alert and namespace.
    inhibit_rules: [
      { source_matchers: [`severity="${critical}"`], target_matchers: [`severity=~"${alert}|${warning}"`], equal: ["alertname", "namespace"] },
      { source_matchers: [`severity="${alert}"`], target_matchers: [`severity="${warning}"`], equal: ["alertname", "namespace"] },
    ],
  };
}
