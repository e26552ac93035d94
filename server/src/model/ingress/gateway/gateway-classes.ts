// Model layer (pure): GatewayClass → controller, and which controller serves a Gateway (GW-1).
// Must not import vscode, LSP, node:* or fs.
import type { GatewayClassInfo, ModelDiagnostic, Resource } from '../../types';
import { Fields } from '../../core/typed-fields';

/** GW-1: every GatewayClass in the files, with its `spec.controllerName`. */
export function readGatewayClasses(resources: readonly Resource[], out: ModelDiagnostic[]): GatewayClassInfo[] {
  return resources.map((res) => {
    const f = new Fields(res, out);
    const controllerName = f.str(f.map(res.body, 'spec'), 'controllerName') ?? null;
    return { name: res.name, controllerName, source: res };
  });
}

/** What the model knows and assumes about the controller of a Gateway's class (GW-1). */
export interface ClassVerdict {
  controller: string | null;
  /** What is assumed, in one sentence (the controller's own deployment is rarely in the files). */
  note: string;
  /** Set when no controller known from the files serves the class: the diagnostic's message. */
  unserved?: string;
}

/**
 * GW-1: a GatewayClass in the files names its controller; that controller is assumed to run (controllers
 * come from their own charts, seldom from the application's files), which is not an error. A class
 * missing from the files is only a problem when the files (or the profile's `gatewayClasses`) do declare
 * classes, as they then hold the cluster's classes: like ING-7, no controller would pick the Gateway up.
 */
export function classVerdict(
  className: string,
  classes: readonly GatewayClassInfo[],
  profileClasses: readonly { name: string; controllerName: string }[] = [],
): ClassVerdict {
  const cls = classes.find((c) => c.name === className);
  const listed = profileClasses.find((c) => c.name === className);
  if (!cls && listed) {
    return {
      controller: listed.controllerName,
      note: `GatewayClass ${className} is installed in the cluster per the profile (gatewayClasses), served by ${listed.controllerName}.`,
    };
  }
  if (cls) {
    const controller = cls.controllerName;
    return {
      controller,
      note: controller
        ? `GatewayClass ${className} names controller ${controller}; that controller is assumed to be running (its deployment is not checked against the files).`
        : `GatewayClass ${className} has no spec.controllerName; the API server rejects it, so no controller serves this Gateway.`,
      ...(controller ? {} : { unserved: `GatewayClass ${className} has no controllerName: no controller serves this Gateway.` }),
    };
  }
  if (classes.length === 0 && profileClasses.length === 0) {
    return {
      controller: null,
      note: `GatewayClass ${className} is not in the files; it is assumed to be installed with its controller (classes usually come with the controller's chart).`,
    };
  }
  const declared = [...classes.map((c) => c.name), ...profileClasses.map((c) => `${c.name} (profile)`)].join(', ');
  return {
    controller: null,
    note: `GatewayClass ${className} is not declared (declared: ${declared}).`,
    unserved: `GatewayClass "${className}" is not declared in the workspace or the profile's gatewayClasses (declared: ${declared}); no controller accepts this Gateway, so none of its listeners serve traffic and Routes attached to it get no status.`,
  };
}
