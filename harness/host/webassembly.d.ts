/**
 * Minimal typings of the WebAssembly JS API that Node 20 provides (TypeScript ships them only in lib.dom).
 * Covers what the harness uses; kept here because the host owns module loading.
 */
declare namespace WebAssembly {
  type ImportValue = Function | Global | Memory | Table | number | bigint;
  type Imports = Record<string, Record<string, ImportValue>>;
  type Exports = Record<string, Function | Global | Memory | Table>;
  type BufferSource = ArrayBuffer | ArrayBufferView;

  interface ModuleImportDescriptor { module: string; name: string; kind: 'function' | 'table' | 'memory' | 'global' | 'tag' }
  interface ModuleExportDescriptor { name: string; kind: 'function' | 'table' | 'memory' | 'global' | 'tag' }
  interface WebAssemblyInstantiatedSource { module: Module; instance: Instance }

  class Module {
    constructor(bytes: BufferSource);
    static imports(module: Module): ModuleImportDescriptor[];
    static exports(module: Module): ModuleExportDescriptor[];
    static customSections(module: Module, sectionName: string): ArrayBuffer[];
  }
  class Instance {
    constructor(module: Module, importObject?: Imports);
    readonly exports: Exports;
  }
  interface MemoryDescriptor { initial: number; maximum?: number; shared?: boolean }
  class Memory {
    constructor(descriptor: MemoryDescriptor);
    readonly buffer: ArrayBuffer;
    grow(delta: number): number;
  }
  interface TableDescriptor { element: 'anyfunc' | 'externref'; initial: number; maximum?: number }
  class Table {
    constructor(descriptor: TableDescriptor, value?: unknown);
    readonly length: number;
    get(index: number): unknown;
    grow(delta: number, value?: unknown): number;
    set(index: number, value?: unknown): void;
  }
  interface GlobalDescriptor { mutable?: boolean; value: 'i32' | 'i64' | 'f32' | 'f64' | 'externref' | 'anyfunc' }
  class Global {
    constructor(descriptor: GlobalDescriptor, v?: unknown);
    value: unknown;
    valueOf(): unknown;
  }
  class CompileError extends Error {}
  class LinkError extends Error {}
  class RuntimeError extends Error {}

  function compile(bytes: BufferSource): Promise<Module>;
  function instantiate(bytes: BufferSource, importObject?: Imports): Promise<WebAssemblyInstantiatedSource>;
  function instantiate(module: Module, importObject?: Imports): Promise<Instance>;
  function validate(bytes: BufferSource): boolean;
}
