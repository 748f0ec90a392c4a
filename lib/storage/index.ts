// Storage backends behind one contract (types.ts). The gateway picks one per region (regions.ts).
export { createFsBackend, type FsBackend, type FsBackendOptions } from "./fs-backend";
export * from "./types";
