import type { EksAddonName } from "../../aws/compute/eks";
import { KUBE_SYSTEM_NAMESPACE } from "../platform";
import { CRITICAL_ADDONS_ONLY, PodGroup, TOLERATE_ALL } from "./pods";

/**
 * The pods each EKS managed add-on (modules/aws/compute/eks `EKS_ADDONS`) runs with the defaults the
 * module installs: the node DaemonSets tolerate every taint; CoreDNS and the EBS CSI controller run two
 * replicas with the `CriticalAddonsOnly` toleration only (so on untainted nodes). One entry per add-on:
 * adding an add-on to `EKS_ADDONS` without one fails the type check.
 */
export const EKS_ADDON_PODS: Readonly<Record<EksAddonName, readonly PodGroup[]>> = {
  "vpc-cni": [{ name: "aws-node", daemonSet: true, tolerations: TOLERATE_ALL, namespace: KUBE_SYSTEM_NAMESPACE }],
  "eks-pod-identity-agent": [{ name: "eks-pod-identity-agent", daemonSet: true, tolerations: TOLERATE_ALL, namespace: KUBE_SYSTEM_NAMESPACE }],
  "kube-proxy": [{ name: "kube-proxy", daemonSet: true, tolerations: TOLERATE_ALL, namespace: KUBE_SYSTEM_NAMESPACE }],
  coredns: [{ name: "coredns", replicas: 2, tolerations: CRITICAL_ADDONS_ONLY, namespace: KUBE_SYSTEM_NAMESPACE }],
  "aws-ebs-csi-driver": [
    { name: "ebs-csi-controller", replicas: 2, tolerations: CRITICAL_ADDONS_ONLY, namespace: KUBE_SYSTEM_NAMESPACE },
    { name: "ebs-csi-node", daemonSet: true, tolerations: TOLERATE_ALL, namespace: KUBE_SYSTEM_NAMESPACE },
  ],
};
