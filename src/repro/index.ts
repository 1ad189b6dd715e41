/**
 * The reproduction's host-side API (CLI, extension): plans, the runner, the message and
 * summary types. Nothing here loads TensorFlow.js; only the worker does.
 */
export { buildPlan, materializeData, DEFAULT_CAPS, type Caps, type PlanOptions, type PlanResult, type ReproPlan } from './plan';
export { startReproduction, defaultWorkerPath, ReproductionCancelled, type Reproduction, type StartOptions } from './runner';
export { toFidelityCase, type FidelityCase } from './fidelity';
export { fromWire, toWire } from './protocol';
export type { BackendChoice, BackendName, HostMessage, WireNumber, LayerStats, NonFinitePoint, TensorKind, TrainingEngine, WorkerMessage } from './protocol';
export { noteTexts, type ReproNote, type ReproNoteKind } from './notes';
export type { ReproSummary } from './summary';
export type { Verdict } from './verdict';
