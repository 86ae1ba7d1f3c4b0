/** The activations a hidden layer may have. */
export const HIDDEN_ACTIVATIONS = ['sigmoid', 'tanh', 'relu', 'leaky-relu'] as const;
export type HiddenActivation = (typeof HIDDEN_ACTIVATIONS)[number];
