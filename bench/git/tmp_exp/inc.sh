set -e
cd /work/main
rm -rf /tmp/inc && mkdir -p /tmp/inc
cp -r /tmp/benchrepo/big.git /tmp/inc/big.git
deno run -A bench/git/tmp_exp/serve.ts &
SP=$!
sleep 1.5
URL=$(cat /tmp/inc/url)
BENCH_GIT_TRACE=1 deno run -A bench/git/skiff_fetch.ts $URL /tmp/inc/cache
git clone -q --depth 1 /tmp/inc/big.git /tmp/inc/pusher
cd /tmp/inc/pusher && echo x > apps/new.yaml && git add -A && git -c user.name=a -c user.email=a@b commit -qm x && git push -q origin HEAD:main
cd /work/main
BENCH_GIT_TRACE=1 deno run -A bench/git/skiff_fetch.ts $URL /tmp/inc/cache
kill $SP
