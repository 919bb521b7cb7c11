export const code = async () => 'nothing to set: the victim fills the legacy RegExp statics itself';
