// Runs a custom WebGPU program on the active tfjs webgpu backend (backend.runWebGPUProgram, the way
// tfjs-backend-webgpu runs its own kernels) and wraps the result as a tensor. This module does not
// import tfjs-backend-webgpu: programs are plain objects, and the backend is the active one.
import * as tf from '@tensorflow/tfjs';

export type Uniform = { type: string; data: number[] };

interface WebGpuBackendLike {
  runWebGPUProgram(program: object, inputs: tf.TensorInfo[], dtype: 'float32', uniforms?: Uniform[]): tf.TensorInfo;
}

function backend(): WebGpuBackendLike {
  if (tf.getBackend() !== 'webgpu') throw new Error(`custom WebGPU programs need the webgpu backend (active: ${tf.getBackend()})`);
  return tf.backend() as unknown as WebGpuBackendLike;
}

export function runProgram(program: object, inputs: tf.Tensor[], uniforms?: Uniform[]): tf.Tensor {
  const info = backend().runWebGPUProgram(program, inputs, 'float32', uniforms);
  return tf.engine().makeTensorFromTensorInfo(info);
}
