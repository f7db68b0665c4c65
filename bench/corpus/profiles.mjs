// How each mix spends its bytes. Sizes are [median, sigma, min, max] for logNormal.

const KB = 1024;

export const PROFILES = {
  // Bulky lines usage does not need dominate; assistant lines are ~10% of the bytes.
  realistic: {
    bulky: true,
    roundsPerPrompt: [5, 0.8, 1, 60],
    toolChance: 0.8,
    toolResult: [2 * KB, 1.6, 20, 100 * KB],
    prompt: [300, 1.2, 5, 20 * KB],
    attachments: {
      skillListing: { chance: 0.25, size: [35 * KB, 0.5, 14 * KB, 70 * KB] },
      promptSnapshot: { chance: 0.35, size: [60 * KB, 0.4, 29 * KB, 110 * KB] },
      environment: { chance: 0.3 },
      deferredTools: { chance: 0.3 },
      agentListing: { chance: 0.2 },
      date: { chance: 0.2 },
      tokensReminder: { chance: 0.5 },
    },
    apiRequestShape: { chance: 0.3, size: [75 * KB, 0.15, 50 * KB, 100 * KB] },
    apiRequestBlob: { chance: 0.8, size: [2500, 1.2, 200, 60 * KB] },
  },
  // Almost only what usage needs: assistant lines and small user lines.
  'assistant-heavy': {
    bulky: false,
    roundsPerPrompt: [8, 0.8, 1, 80],
    toolChance: 0.7,
    toolResult: [250, 0.8, 10, 1500],
    prompt: [150, 1, 5, 2 * KB],
  },
};
