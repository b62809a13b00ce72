/** The product version shown in Help ▸ About and reported by getInfo. */
export const ftlabVersion = '0.1.0';
