/** Vite's `?url` imports: the address of the file as built (copied into `dist/assets`). */
declare module '*?url' {
  const url: string
  export default url
}
