// The scenario/program loader lives in src/main/scenario (the live engine uses it too).
export * from '../../main/scenario/load';
