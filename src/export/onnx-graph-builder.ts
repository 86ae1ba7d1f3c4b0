import { onnxAttributeType, onnxDataType, type OnnxAttribute, type OnnxNode, type OnnxTensor } from '../formats/onnx.js';

/** Collects the nodes and float32 initializers of an ONNX graph; every value is named after what made it. */
export class OnnxGraphBuilder {
  readonly nodes: OnnxNode[] = [];
  readonly initializers: OnnxTensor[] = [];
  private readonly float = onnxDataType('FLOAT');

  /** A float32 constant of shape `dims` ([] for a scalar); returns its name. */
  constant(name: string, dims: readonly number[], values: ArrayLike<number>): string {
    const data = Float32Array.from(values);
    const bytes = new Uint8Array(data.length * 4);
    const view = new DataView(bytes.buffer);
    // TensorProto.raw_data is little-endian whatever the machine.
    for (let i = 0; i < data.length; i++) view.setFloat32(i * 4, data[i]!, true);
    this.initializers.push({ name, dims: [...dims], data_type: this.float, raw_data: bytes });
    return name;
  }

  /** An int64 constant of shape [values.length] (a shape for Reshape); returns its name. */
  int64s(name: string, values: readonly number[]): string {
    const bytes = new Uint8Array(values.length * 8);
    const view = new DataView(bytes.buffer);
    for (let i = 0; i < values.length; i++) view.setBigInt64(i * 8, BigInt(values[i]!), true);
    this.initializers.push({ name, dims: [values.length], data_type: onnxDataType('INT64'), raw_data: bytes });
    return name;
  }

  /** Appends node `opType` of `inputs`; its one output is named `output`, which it returns. */
  node(opType: string, inputs: readonly string[], output: string, attribute: readonly OnnxAttribute[] = []): string {
    this.nodes.push({ name: output, op_type: opType, input: [...inputs], output: [output], ...(attribute.length > 0 ? { attribute } : {}) });
    return output;
  }
}

export const floatAttribute = (name: string, f: number): OnnxAttribute => ({ name, type: onnxAttributeType('FLOAT'), f });
export const intsAttribute = (name: string, ints: readonly number[]): OnnxAttribute => ({ name, type: onnxAttributeType('INTS'), ints });
