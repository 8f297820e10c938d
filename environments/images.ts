/**
 * Images the platform builds itself and the environments pin (one place, so every environment moves
 * together unless one deliberately stages an upgrade).
 */

/**
 * The Kafka topics Job's image: `apache/kafka` 3.8.1 (the CLI under `/opt/kafka/bin`, uid 1000) with the
 * aws-msk-iam-auth 2.3.2 "-all" jar added to `/opt/kafka/libs`. No public image carries both, so the
 * platform team builds and pushes this one (docs/modules.md, "Kafka topics") before the first `<env>-workloads`
 * deploy; replace the tag by its `@sha256:` digest once pushed.
 */
export const KAFKA_TOPICS_JOB_IMAGE = "ghcr.io/aivo-platform/kafka-admin:3.8.1-msk-iam-2.3.2";
