#!/usr/bin/env bash
# The release workflow's last GitHub step: point the major tag (v1 for v1.2.3) at the commit of
# the release tag, as a plain tag. It only moves forward: releasing a patch of an older minor
# leaves the major tag on the newest vX.Y.Z. Needs gh with GH_TOKEN, and GITHUB_REPOSITORY.
set -euo pipefail
tag=${1:?usage: move-major-tag.sh vX.Y.Z}
repo=${GITHUB_REPOSITORY:?GITHUB_REPOSITORY must be owner/name}
[[ $tag =~ ^v[0-9]+\.[0-9]+\.[0-9]+$ ]] || { echo "::error::$tag is not vX.Y.Z"; exit 1; }
major=${tag%%.*}

newest=$(gh api --paginate "repos/$repo/git/matching-refs/tags/$major." --jq '.[].ref' |
  sed 's|^refs/tags/||' | { grep -E '^v[0-9]+\.[0-9]+\.[0-9]+$' || true; } | sort -V | tail -1)
if [ "$newest" != "$tag" ]; then
  echo "::notice::$major stays on ${newest:-its current commit}: $tag is not the newest $major release"
  exit 0
fi

sha=$(gh api "repos/$repo/commits/$tag" --jq .sha)
if gh api "repos/$repo/git/ref/tags/$major" >/dev/null 2>&1; then
  gh api -X PATCH "repos/$repo/git/refs/tags/$major" -f sha="$sha" -F force=true >/dev/null
else
  gh api "repos/$repo/git/refs" -f ref="refs/tags/$major" -f sha="$sha" >/dev/null
fi
echo "$major -> $tag ($sha)"
