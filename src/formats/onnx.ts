import { readFileSync } from 'node:fs';
import protobuf from 'protobufjs';

/**
 * ONNX files, encoded by protobufjs from the official schema (schemas/onnx.proto,
 * ONNX 1.12, IR version 8) with the schema's own field names. The interfaces
 * below are the part of ModelProto that rxnn writes.
 */
export interface OnnxTensor {
  readonly name: string;
  readonly dims: readonly number[];
  readonly data_type: number;
  readonly raw_data: Uint8Array;
}

export interface OnnxAttribute {
  readonly name: string;
  /** An AttributeProto.AttributeType (see onnxAttributeType). */
  readonly type: number;
  readonly f?: number;
  readonly i?: number;
  readonly ints?: readonly number[];
}

export interface OnnxNode {
  readonly name: string;
  readonly op_type: string;
  readonly input: readonly string[];
  readonly output: readonly string[];
  readonly attribute?: readonly OnnxAttribute[];
}

/** A tensor input or output of the graph: element type and shape, a dimension fixed (`dim_value`) or named (`dim_param`). */
export interface OnnxValueInfo {
  readonly name: string;
  readonly doc_string?: string;
  readonly type: { readonly tensor_type: { readonly elem_type: number; readonly shape: { readonly dim: readonly ({ dim_value: number } | { dim_param: string })[] } } };
}

export interface OnnxGraph {
  readonly name: string;
  readonly node: readonly OnnxNode[];
  readonly initializer: readonly OnnxTensor[];
  readonly input: readonly OnnxValueInfo[];
  readonly output: readonly OnnxValueInfo[];
}

export interface OnnxModel {
  readonly ir_version: number;
  readonly opset_import: readonly { readonly domain: string; readonly version: number }[];
  readonly producer_name: string;
  readonly producer_version: string;
  readonly doc_string?: string;
  readonly graph: OnnxGraph;
  readonly metadata_props?: readonly { readonly key: string; readonly value: string }[];
}

const SCHEMA = new URL('../../schemas/onnx.proto', import.meta.url);

let schema: protobuf.Root | undefined;

function onnxSchema(): protobuf.Root {
  schema ??= protobuf.parse(readFileSync(SCHEMA, 'utf8'), { keepCase: true }).root;
  return schema;
}

/** A TensorProto.DataType by name (FLOAT is 1), read from the schema. */
export function onnxDataType(name: 'FLOAT' | 'INT64'): number {
  const value = onnxSchema().lookupEnum('onnx.TensorProto.DataType').values[name];
  if (value === undefined) throw new Error(`onnx.proto has no TensorProto.DataType ${name}`);
  return value;
}

/** An AttributeProto.AttributeType by name, read from the schema. */
export function onnxAttributeType(name: 'FLOAT' | 'INT' | 'INTS'): number {
  const value = onnxSchema().lookupEnum('onnx.AttributeProto.AttributeType').values[name];
  if (value === undefined) throw new Error(`onnx.proto has no AttributeProto.AttributeType ${name}`);
  return value;
}

/** The IR version the vendored schema defines (its Version.IR_VERSION). */
export function onnxIrVersion(): number {
  return onnxSchema().lookupEnum('onnx.Version').values['IR_VERSION']!;
}

/** Serialises a model; fields the schema does not know, or values of the wrong type, throw. */
export function encodeOnnxModel(model: OnnxModel): Uint8Array {
  const type = onnxSchema().lookupType('onnx.ModelProto');
  const problem = type.verify(model);
  if (problem !== null) throw new Error(`ONNX model does not fit onnx.proto: ${problem}`);
  return type.encode(type.fromObject(model)).finish();
}

/** Parses ONNX bytes back into ModelProto's fields (enums as names, 64-bit integers as numbers). */
export function decodeOnnxModel(bytes: Uint8Array): Record<string, unknown> {
  const type = onnxSchema().lookupType('onnx.ModelProto');
  return type.toObject(type.decode(bytes), { enums: String, longs: Number, bytes: Array, defaults: false });
}
