// bottleneck/light.js is the build @octokit/plugin-throttling uses; it has the full build's API.
declare module 'bottleneck/light.js' {
  import Bottleneck from 'bottleneck';
  export default Bottleneck;
}
