// The wizard's question model: what is asked, in which words, with which defaults, and how each
// answer is checked. Both front ends (the Ink screens in screens/ and the line-by-line prompts of
// `hobbykube --plain`) render these same forms, so their messages, defaults and validation cannot
// drift, and the same answers always build the same spec (spec-answers.ts: buildSpec).
//
// The model is split by job: form.ts (fields, checks, formErrors), cluster-forms.ts (welcome,
// nodes, DNS, domains) and workload-form.ts; this module is the one import for all of it.
export * from './form.js';
export * from './cluster-forms.js';
export * from './workload-form.js';
