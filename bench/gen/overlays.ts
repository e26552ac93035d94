// Bench layer: a kustomize workspace for `npm run bench` (IN-1) — B bases, each an app (Deployment, Service,
// NetworkPolicy, a generated ConfigMap), and O overlays spread over them, each an environment with its own
// namespace, name prefix, labels, image tag, replica count and a strategic-merge patch. Deterministic: the same
// B and O give byte-identical files. Paths are relative (`bases/app-3/...`); nothing here touches the disk.
import type { WorkspaceFile } from './index';

function base(i: number): WorkspaceFile[] {
  const app = `app-${i}`;
  const dir = `bases/${app}`;
  return [
    [
      `${dir}/kustomization.yaml`,
      `resources:\n- deploy.yaml\n- svc.yaml\n- netpol.yaml\nconfigMapGenerator:\n- name: ${app}-config\n  literals:\n  - LEVEL=info\n  - APP=${app}\n`,
    ],
    [
      `${dir}/deploy.yaml`,
      `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${app}
  labels:
    app: ${app}
spec:
  replicas: 1
  selector:
    matchLabels:
      app: ${app}
  template:
    metadata:
      labels:
        app: ${app}
    spec:
      containers:
      - name: main
        image: registry.example/${app}:1.0.0
        ports:
        - name: http
          containerPort: 8080
        envFrom:
        - configMapRef:
            name: ${app}-config
        env:
        - name: MODE
          value: base
`,
    ],
    [
      `${dir}/svc.yaml`,
      `apiVersion: v1
kind: Service
metadata:
  name: ${app}
spec:
  selector:
    app: ${app}
  ports:
  - name: http
    port: 80
    targetPort: http
`,
    ],
    [
      `${dir}/netpol.yaml`,
      `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: ${app}-ingress
spec:
  podSelector:
    matchLabels:
      app: ${app}
  policyTypes:
  - Ingress
  ingress:
  - from:
    - podSelector: {}
    ports:
    - port: 8080
`,
    ],
  ];
}

function overlay(j: number, bases: number): WorkspaceFile[] {
  const app = `app-${j % bases}`;
  const env = `env-${j}`;
  const dir = `overlays/${env}`;
  return [
    [
      `${dir}/kustomization.yaml`,
      `namespace: ${env}
namePrefix: e${j}-
commonLabels:
  env: ${env}
resources:
- ../../bases/${app}
images:
- name: registry.example/${app}
  newTag: 1.0.${j}
replicas:
- name: ${app}
  count: ${1 + (j % 3)}
patches:
- path: patch.yaml
`,
    ],
    [
      `${dir}/patch.yaml`,
      `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${app}
spec:
  template:
    spec:
      containers:
      - name: main
        env:
        - name: MODE
          value: ${env}
`,
    ],
  ];
}

/** `bases` bases and `overlays` overlays (overlay j renders base j mod bases). */
export function generateOverlays(bases: number, overlays: number): WorkspaceFile[] {
  const out: WorkspaceFile[] = [];
  for (let i = 0; i < bases; i++) out.push(...base(i));
  for (let j = 0; j < overlays; j++) out.push(...overlay(j, bases));
  return out;
}
