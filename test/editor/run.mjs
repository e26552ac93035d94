// Editor-test layer: the built extension in a real VS Code workbench (code-server + chromium, see harness.mjs).
// Must not import the extension, server or model: it asserts what a user sees. Run: `npm run test:editor`
// (builds first; needs `bash test/editor/setup.sh` once). Screenshots go to test-results/editor-*.png.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { join } from 'node:path';
import { REPO, startWorkbench, waitFor } from './harness.mjs';

// Fresh bundles, so the workbench never runs a stale extension.
execFileSync(process.execPath, ['esbuild.config.mjs'], { cwd: REPO, stdio: 'inherit' });

const TRACE = 'kube-netpath: Trace traffic';
let wb;

/** A test that leaves a screenshot of the workbench behind when it fails (test-results/editor-fail-*.png). */
function scenario(name, fn) {
  test(name, async (t) => {
    try {
      await fn(t);
    } catch (e) {
      const path = await wb?.screenshot(`fail-${name.replace(/[^a-z0-9]+/gi, '-').slice(0, 40)}`).catch(() => undefined);
      if (path) e.message += `\n(screenshot: ${path})`;
      throw e;
    }
  });
}

describe('kube-netpath in a real VS Code workbench', { timeout: 300_000 }, () => {
  before(async () => {
    // VS Code for the Web (code-server) saves after a 1 s delay by default; the scenarios edit a file and then
    // revert it (File: Revert File), which needs the edit to stay unsaved.
    wb = await startWorkbench({ workspaceSource: join(REPO, 'test/editor/workspace'), name: 'editor', settings: { 'files.autoSave': 'off' } });
  });

  after(async () => {
    if (wb) {
      await wb.screenshot('final').catch(() => undefined);
      await wb.close();
    }
  });

  scenario('the extension loads in the Extension Development Host and its server reports the model', async () => {
    await wb.openFile('service.yaml');
    assert.match(await wb.page.title(), /Extension Development Host/);
    const status = await wb.statusBarText(/netpath: \d+ pods/);
    assert.match(status, /netpath: \d+ pods · \d+ svc/);
  });

  scenario('a workspace without netpath.cluster.yaml is offered one, written from what the model assumed (CL-1, CL-5)', async () => {
    const toast = wb.page.locator('.notification-toast', { hasText: 'found no netpath.cluster.yaml' });
    await toast.waitFor({ timeout: 30_000 });
    await wb.screenshot('profile-offer');
    await toast.locator('a.monaco-button, .monaco-button', { hasText: 'Create netpath.cluster.yaml' }).first().click();
    await wb.page.locator('.tab.active[aria-label*="netpath.cluster.yaml"]').waitFor();
    // The default profile's first node, uncommented: the nodes are there to be made exact.
    await wb.page.locator('.view-line', { hasText: 'internalIP: 10.0.0.1' }).waitFor();
    await wb.page.locator('.view-line', { hasText: 'serviceCIDR: 10.43.0.0/16' }).waitFor();
    await wb.screenshot('profile-draft');
    // Unsaved: nothing was written to the workspace.
    assert.equal(existsSync(join(wb.dirs.workspace, 'netpath.cluster.yaml')), false);
    await wb.runCommand('View: Revert and Close Editor');
    await wb.page.locator('.tab[aria-label*="netpath.cluster.yaml"]').waitFor({ state: 'detached' });
  });

  scenario('"Trace traffic" is in the command palette', async () => {
    const row = await wb.paletteHas(TRACE);
    assert.ok(row, 'palette lists kube-netpath: Trace traffic');
  });

  scenario('hovering a Service name shows its DNS name and ClusterIP', async () => {
    await wb.openFile('service.yaml');
    const text = await wb.hover('storefront', { contains: 'ClusterIP' });
    await wb.screenshot('hover');
    assert.match(text, /storefront\.shop\.svc\.cluster\.local/);
    assert.match(text, /ClusterIP\s+10\.43\.0\.20/);
    assert.match(text, /80\/TCP/);
  });

  scenario('a rule id in a hover is a link that opens docs/rules.md at that rule (DNS-1)', async () => {
    await wb.hover('storefront', { contains: 'ClusterIP' });
    await wb.page.locator('.monaco-hover:not(.hidden) a', { hasText: /^DNS-1$/ }).first().click();
    await wb.page.locator('.tab.active[aria-label*="rules.md"]').waitFor();
    await wb.page.locator('.statusbar-item', { hasText: `Ln ${ruleLine('DNS-1')},` }).first().waitFor();
    await wb.screenshot('rule-from-hover');
    await wb.openFile('service.yaml');
  });

  scenario('a code lens above the Service shows its ClusterIP and offers Trace traffic', async () => {
    const lens = wb.page.locator('.contentWidgets .codelens-decoration').first();
    await lens.waitFor();
    await wb.page.locator('.codelens-decoration', { hasText: 'Trace traffic' }).first().waitFor();
    assert.match(await lens.innerText(), /10\.43\.0\.20 · \d+ endpoints?/);
  });

  scenario('Trace traffic from the palette renders the hops in the panel', async () => {
    await wb.openFile('service.yaml');
    await wb.clickWord('storefront');
    await wb.runCommand(TRACE);
    await wb.quickPick('shopper'); // the source: the shopper Deployment's pod
    const view = wb.webview();
    await view.locator('.request .from').waitFor({ timeout: 30_000 });
    assert.equal(await view.locator('.request .from').innerText(), 'deploy:shop/shopper');
    assert.equal(await view.locator('.request .to').innerText(), 'svc:shop/storefront');
    await view.locator('#hops .hop').first().waitFor({ timeout: 30_000 });
    const hops = await view.locator('#hops .hop').allInnerTexts();
    assert.ok(hops.length >= 3, `at least send, DNAT and deliver: ${hops.join(' | ')}`);
    assert.ok(hops.some((h) => h.includes('DNAT') && /10\.42\.\d+\.\d+:8080/.test(h)), 'a DNAT hop rewrites to a pod IP:8080');
    assert.match(await view.locator('#overall-verdict').innerText(), /delivered/);
    assert.equal(await view.locator('.lane-head').count() >= 2, true);
    await wb.screenshot('trace-panel');
  });

  scenario('the reply path shows on demand, and a hop opens the manifest behind it', async () => {
    const view = wb.webview();
    await view.locator('button.toggle-reply').click();
    await view.locator('#reply-hops .hop').first().waitFor();
    const reply = await view.locator('#reply-hops .hop').allInnerTexts();
    // The sender gets the answer from the ClusterIP it called: the DNAT is undone on the way back (TR-3).
    assert.match(reply[reply.length - 1] ?? '', /10\.43\.0\.20:80/);
    await view.locator('#reply-hops').scrollIntoViewIfNeeded();
    await wb.screenshot('trace-reply');
    await view.locator('#hops .hop.has-source').first().click();
    await wb.page.locator('.tab.active[aria-label*="shop.yaml"]').waitFor();
    // The cursor lands on the sender's workload: the shopper Deployment's name.
    await wb.page.locator('.statusbar-item', { hasText: 'Ln 32, Col 9' }).first().waitFor();
  });

  scenario('manifest names that are markup are shown as text in the panel, never run', async () => {
    await wb.openFile('shop.yaml');
    await wb.page.keyboard.press('Control+Home'); // cursor on the header comment, on no object: the command asks for the target too
    await wb.runCommand(TRACE);
    await wb.quickPick('10.43.0.20'); // target: the Service, by its ClusterIP in the description
    await wb.quickPick('onerror'); // source: the pod named <img src=x onerror=alert(1)>
    const view = wb.webview();
    const from = view.locator('.request .from', { hasText: 'onerror' });
    await from.waitFor({ timeout: 30_000 });
    assert.equal(await from.innerText(), 'pod:shop/<img src=x onerror=alert(1)>');
    assert.equal(await view.locator('img').count(), 0, 'no <img> element was created from the name');
    assert.deepEqual(wb.dialogs, [], 'no alert() ran');
    await wb.screenshot('trace-hostile');
  });

  scenario('the open panel re-renders when a manifest changes', async () => {
    const view = wb.webview();
    await view.locator('#overall-verdict', { hasText: 'delivered' }).waitFor();
    await wb.openFile('service.yaml');
    // Break the Service's targetPort: its port resolves on no pod, so the traced connection has nowhere to go.
    await wb.page.keyboard.press('Control+G');
    await wb.page.keyboard.type('14');
    await wb.page.keyboard.press('Enter');
    await wb.page.keyboard.press('End');
    for (let i = 0; i < 'http'.length; i++) await wb.page.keyboard.press('Backspace');
    await wb.page.keyboard.type('nope');
    await wb.page.locator('.view-line', { hasText: 'targetPort: nope' }).waitFor();
    await view.locator('#overall-verdict', { hasText: 'dropped' }).waitFor({ timeout: 30_000 });
    await wb.screenshot('trace-after-edit');
    // The squiggle the model reports for it is there too (SVC-2).
    await wb.page.locator('.squiggly-warning, .squiggly-error').first().waitFor();
  });

  scenario('a diagnostic\'s code is a link to its rule in docs/rules.md (SVC-2)', async () => {
    // The squiggle of the scenario before: targetPort `nope` is on no pod.
    await wb.hover('nope', { contains: 'service-targetport-unresolved' });
    await wb.page.locator('.monaco-hover:not(.hidden) a', { hasText: 'service-targetport-unresolved' }).first().click();
    await wb.page.locator('.tab.active[aria-label*="rules.md"]').waitFor();
    await wb.page.locator('.statusbar-item', { hasText: `Ln ${ruleLine('SVC-2')},` }).first().waitFor();
    await wb.screenshot('rule-from-diagnostic');
  });

  scenario('a hop two NetworkPolicies decide links to each policy; a click on the second opens it (NP-5)', async () => {
    // Undo the broken targetPort of the scenario before, so the trace reaches the pod's policies again.
    await wb.openFile('service.yaml');
    await wb.runCommand('File: Revert File');
    await wb.page.locator('.view-line', { hasText: 'targetPort: http' }).waitFor();
    // Written while the workbench runs: the extension's file watcher tells the server.
    writeFileSync(join(wb.dirs.workspace, 'policies.yaml'), POLICIES);
    await wb.clickWord('storefront');
    await wb.runCommand(TRACE);
    await wb.quickPick('shopper');
    const view = wb.webview();
    const links = view.locator('.policy-link');
    await links.nth(1).waitFor({ timeout: 30_000 });
    assert.deepEqual(await links.allInnerTexts(), ['shop/allow-shop', 'shop/allow-shop-too']);
    await view.locator('.hop.action-policy').first().scrollIntoViewIfNeeded();
    await wb.screenshot('trace-policies');
    await links.nth(1).click();
    await wb.page.locator('.tab.active[aria-label*="policies.yaml"]').waitFor();
    const line = POLICIES.split('\n').findIndex((l) => l === '  name: allow-shop-too') + 1;
    await wb.page.locator('.statusbar-item', { hasText: `Ln ${line}, Col 9` }).first().waitFor();
  });

  scenario('a hop\'s rule id in the Trace panel opens docs/rules.md at that rule', async () => {
    const chip = wb.webview().locator('#hops .rule-link').first();
    await chip.waitFor({ timeout: 30_000 });
    const rule = await chip.innerText();
    await chip.click();
    await wb.page.locator('.tab.active[aria-label*="rules.md"]').waitFor();
    await wb.page.locator('.statusbar-item', { hasText: `Ln ${ruleLine(rule)},` }).first().waitFor();
  });

  scenario('the quick fix for a taken clusterIP writes the hover\'s address into clusterIP and clusterIPs[0] (IP-4, IP-5)', async () => {
    // The seed's own example: 10.43.0.1 is always default/kubernetes's (CL-4).
    writeFileSync(join(wb.dirs.workspace, 'seed-redis.yaml'), SEED_REDIS);
    await wb.openFile('seed-redis.yaml');
    await wb.page.locator('.squiggly-error').first().waitFor({ timeout: 30_000 });
    const hover = await wb.hover('redis', { contains: 'ClusterIP' });
    const shown = /ClusterIP (\d+\.\d+\.\d+\.\d+)/.exec(hover)?.[1];
    assert.ok(shown && shown !== '10.43.0.1', hover);
    await wb.focusWorkbench();
    await wb.page.keyboard.press('Control+G');
    await wb.page.keyboard.type('7');
    await wb.page.keyboard.press('Enter');
    await wb.page.keyboard.press('End');
    await wb.page.keyboard.press('Control+.');
    const fix = wb.page.locator('.action-widget .monaco-list-row', { hasText: `Use ${shown}` }).first();
    await fix.waitFor({ timeout: 30_000 });
    await wb.screenshot('clusterip-quick-fix');
    // The widget is keyboard-driven (a pointer block covers it while it opens): move the focus to the fix, apply it.
    const focused = wb.page.locator('.action-widget .monaco-list-row.focused', { hasText: `Use ${shown}` });
    await waitFor(async () => (await focused.count()) > 0 || (await wb.page.keyboard.press('ArrowDown'), false), 'the fix focused', 10_000, 200);
    await wb.page.keyboard.press('Enter');
    await wb.page.locator('.view-line', { hasText: `clusterIP: ${shown}` }).waitFor();
    await wb.page.locator('.view-line', { hasText: `- ${shown}` }).waitFor();
    // Both errors (the taken address, and clusterIPs[0] then differing from clusterIP) are gone.
    await waitFor(async () => (await wb.page.locator('.squiggly-error').count()) === 0, 'no error squiggle left', 30_000);
  });

  scenario('the Network view lists namespaces, Services and workloads; a click opens the manifest, Trace opens the panel', async () => {
    await wb.focusWorkbench();
    await wb.runCommand('Explorer: Focus on Kubernetes Network View');
    const pane = wb.page.locator('.pane', { has: wb.page.locator('.pane-header', { hasText: 'Kubernetes Network' }) });
    const row = (label) => pane.locator('.monaco-list-row', { has: wb.page.locator('.label-name', { hasText: new RegExp(`^${label}$`) }) }).first();
    await row('shop').waitFor({ timeout: 30_000 });
    // default (the seed redis of the scenario before) sorts first: shop's Services is the second such row.
    await pane.locator('.monaco-list-row', { has: wb.page.locator('.label-name', { hasText: /^Services$/ }) }).nth(1).click();
    const svc = row('storefront');
    await svc.waitFor();
    // The description: type, ClusterIP (service.yaml pins 10.43.0.20) and ready endpoints (2 storefront replicas).
    assert.match(await svc.innerText(), /ClusterIP 10\.43\.0\.20 · 2 endpoints/);
    await wb.screenshot('network-view');
    await svc.click();
    await wb.page.locator('.tab.active[aria-label*="service.yaml"]').waitFor();
    await wb.page.locator('.statusbar-item', { hasText: 'Ln 5,' }).first().waitFor();
    await svc.hover();
    await svc.locator('.action-label[aria-label="Trace traffic"]').click();
    await wb.quickPick('shopper');
    await wb.webview().locator('#overall-verdict', { hasText: 'delivered' }).waitFor({ timeout: 30_000 });
  });
});

/** The seed's redis Service: clusterIP and clusterIPs[0] both 10.43.0.1 (lines 7 and 9). */
const SEED_REDIS = `apiVersion: v1
kind: Service
metadata:
  name: redis
  namespace: default
spec:
  clusterIP: 10.43.0.1
  clusterIPs:
  - 10.43.0.1
  ports:
  - name: redis
    port: 6379
`;

/** 1-based line of a rule's heading in docs/rules.md (where netpath.openRule puts the cursor). */
function ruleLine(id) {
  return readFileSync(join(REPO, 'docs', 'rules.md'), 'utf8').split('\n').indexOf(`### ${id}`) + 1;
}

/** Two policies that both admit the shop's pods to the storefront: the trace's ingress hop names both. */
const POLICIES = ['allow-shop', 'allow-shop-too'].map((name) => `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: ${name}
  namespace: shop
spec:
  podSelector:
    matchLabels:
      app: storefront
  ingress:
  - from:
    - podSelector: {}
`).join('---\n');

describe('kustomize overlays in the workbench (IN-1): per-environment hover, kustomization lens, patch diagnostic, environment pick', { timeout: 300_000 }, () => {
  // test/editor/kustomize-workspace: a base (Service, Deployment) and two overlays — dev (namespace dev,
  // namePrefix dev-, 2 replicas) and prod (namespace prod, 6 replicas, a patch adding a port with protocol TLS).
  let kz;
  before(async () => {
    kz = await startWorkbench({ workspaceSource: join(REPO, 'test/editor/kustomize-workspace'), name: 'kustomize', settings: { 'files.autoSave': 'off' } });
  });
  after(async () => {
    if (kz) {
      await kz.screenshot('final').catch(() => undefined);
      await kz.close();
    }
  });

  test('a hover on the base Service name shows it in each environment', async () => {
    await kz.openFile('svc.yaml');
    const text = await kz.hover('backend', { contains: 'Per environment' });
    await kz.screenshot('environments-hover');
    assert.match(text, /dev: dev\/dev-backend 10\.43\.\d+\.\d+ · 2 endpoints/);
    assert.match(text, /prod: prod\/backend 10\.43\.\d+\.\d+ · 6 endpoints/);
  });

  test('a lens above the base kustomization says what it renders and which roots use it', async () => {
    await kz.openFile('kustomization.yml'); // the base's (the overlays' are .yaml)
    await kz.page.locator('.codelens-decoration', { hasText: 'used by 2 roots: dev, prod' }).first().waitFor({ timeout: 30_000 });
    await kz.page.locator('.codelens-decoration', { hasText: 'renders 2 objects · 1 Service · 0 policies' }).first().waitFor();
    await kz.screenshot('kustomization-lens');
  });

  test('the protocol a prod patch sets is an error on the patch line, not on the base (IN-3)', async () => {
    await kz.openFile('svc-patch.yaml');
    await kz.page.locator('.squiggly-error').first().waitFor({ timeout: 30_000 });
    await kz.screenshot('patch-diagnostic');
    await kz.openFile('svc.yaml');
    await waitFor(async () => (await kz.page.locator('.squiggly-error').count()) === 0, 'no error squiggle in the base', 30_000);
  });

  test('the status bar picks the environment: dev alone, then all again', async () => {
    await kz.statusBarText(/all environments/);
    await kz.runCommand('kube-netpath: Pick kustomize environments');
    const widget = kz.page.locator('.quick-input-widget');
    await widget.locator('.quick-input-list .monaco-list-row', { hasText: 'prod' }).first().waitFor();
    // Both start checked; untick prod, accept.
    await widget.locator('.quick-input-list .monaco-list-row', { hasText: 'prod' }).first().locator('input[type=checkbox], .monaco-checkbox').first().click();
    await kz.page.keyboard.press('Enter');
    await kz.statusBarText(/\bdev\b/);
    await kz.openFile('svc.yaml');
    const text = await kz.hover('backend', { contains: 'Per environment' });
    assert.doesNotMatch(text, /prod:/);
    await kz.screenshot('environment-dev');
    await kz.runCommand('kube-netpath: Pick kustomize environments');
    await widget.locator('.quick-input-list .monaco-list-row', { hasText: 'prod' }).first().locator('input[type=checkbox], .monaco-checkbox').first().click();
    await kz.page.keyboard.press('Enter');
    await kz.statusBarText(/all environments/);
  });
});

describe('the in-extension-host suite (test/exthost/suite.ts) inside code-server', { timeout: 300_000 }, () => {
  // The suite @vscode/test-electron runs in desktop VS Code (test/exthost/run-desktop.mjs), here in code-server's
  // extension host through the `extensionTestsPath` payload.
  test('passes', () => {
    const r = spawnSync(process.execPath, [join(REPO, 'test/exthost/run-code-server.mjs')], { cwd: REPO, encoding: 'utf8' });
    process.stdout.write(r.stdout.split('\n').filter((l) => /^(ok|not ok|exthost)/.test(l)).map((l) => `# ${l}\n`).join(''));
    assert.equal(r.status, 0, `${r.stdout}\n${r.stderr}`);
    assert.match(r.stdout, /exthost \(code-server\): \d+ passed, 0 failed/);
  });
});

describe('the packaged .vsix, installed into a fresh code-server with --install-extension', { timeout: 300_000 }, () => {
  let installed;
  before(async () => {
    // What a user installs: the production bundles, packaged by vsce without prompts.
    execFileSync('npm', ['run', 'package'], { cwd: REPO, stdio: 'inherit' });
    installed = await startWorkbench({ workspaceSource: join(REPO, 'test/editor/workspace'), name: 'vsix', vsix: join(REPO, 'dist', 'kube-netpath.vsix') });
  });
  after(async () => {
    await installed?.close();
    // Back to the development bundles the rest of the tooling expects.
    execFileSync(process.execPath, ['esbuild.config.mjs'], { cwd: REPO, stdio: 'inherit' });
  });

  test('activates from the installed copy and answers a hover', async () => {
    await installed.openFile('service.yaml');
    // Not an Extension Development Host: the extension runs from the extensions folder.
    assert.doesNotMatch(await installed.page.title(), /Extension Development Host/);
    await installed.statusBarText(/netpath: \d+ pods/);
    const text = await installed.hover('storefront', { contains: 'ClusterIP' });
    assert.match(text, /storefront\.shop\.svc\.cluster\.local/);
    await installed.screenshot('hover');
    const extDirs = readdirSync(installed.dirs.extensions).filter((d) => d.startsWith('kube-netpath.kube-netpath-'));
    assert.equal(extDirs.length, 1, 'installed under the extensions folder');
  });
});
