export {
  kernelNames,
  registerWasmTrainingKernels,
  unregisterWasmTrainingKernels,
  type RegisteredKernels,
  type RegistrationOptions,
} from './registration.js';
