// Where trust and expectations come from: one rule for the command line and the editor.
export * from './anchors';
export * from './select';
