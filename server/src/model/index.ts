// Model layer (pure): the public face of the model. Must not import vscode, LSP, node:* or fs.
export * from './types';
export { parseFile, isTemplate } from './parse';
export { buildModel } from './build';
export { parseProfile, defaultProfile, PROFILE_FILE } from './profile';
export { profileFromSettings } from './profile';
export { expandVarRefs, environmentAtStart } from './env';
export { describeAddress, type AddressInfo, type AddressKind } from './addresses';
export { offsetToPosition, positionToOffset, computeLineStarts, type Position } from './text';
export { matches, describeSelector } from './selectors';
