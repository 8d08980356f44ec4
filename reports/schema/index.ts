// reports/schema/: the versioned result schemas every part imports [D-LAYOUT-REPO], the histogram
// codec and the metric names. A leaf: zod, hdr-histogram-js and node built-ins, nothing of the
// other parts.
export * from './load-result.js';
export * from './conformance-result.js';
export * from './comparison-result.js';
export * from './migrations.js';
export * from './read-result.js';
export * from './histogram.js';
export * from './metric-names.js';
export { jsonSchemaFiles } from './json-schema.js';
