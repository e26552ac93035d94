// Model layer (pure): resource identity (IN-5). Must not import vscode, LSP, node:* or fs.

const CLUSTER_SCOPED = new Set([
  'Namespace',
  'Node',
  'IngressClass',
  'ClusterRole',
  'ClusterRoleBinding',
  'PersistentVolume',
  'StorageClass',
  'CustomResourceDefinition',
  'PriorityClass',
  'RuntimeClass',
  'CSIDriver',
  'CSINode',
  'ValidatingWebhookConfiguration',
  'MutatingWebhookConfiguration',
  'APIService',
  'ComponentStatus',
  'ClusterIssuer',
  'GatewayClass',
  'VolumeAttachment',
  'CertificateSigningRequest',
]);

export function isClusterScoped(kind: string): boolean {
  return CLUSTER_SCOPED.has(kind);
}

/** `Kind/NS/NAME`, or `Kind/NAME` for cluster-scoped kinds. */
export function resourceId(kind: string, namespace: string, name: string): string {
  return namespace === '' ? `${kind}/${name}` : `${kind}/${namespace}/${name}`;
}
