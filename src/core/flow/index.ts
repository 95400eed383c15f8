export * from './capture';
export * from './flow';
