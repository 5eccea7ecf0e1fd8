#!/usr/bin/env bash
# Makes certs/ for config/secured/server.properties: a CA, and a broker certificate for localhost signed by it.
# The same commands are in the README ("A secured broker").
set -euo pipefail
dir="${1:-certs}"
mkdir -p "$dir" && cd "$dir"
openssl req -x509 -newkey rsa:2048 -nodes -days 365 -subj "/CN=Samsa CA" -keyout ca.key -out ca.pem \
  -addext basicConstraints=critical,CA:TRUE -addext keyUsage=critical,keyCertSign,cRLSign 2>/dev/null
openssl req -newkey rsa:2048 -nodes -subj "/CN=localhost" -keyout broker.key -out broker.csr 2>/dev/null
printf "subjectAltName=DNS:localhost,IP:127.0.0.1\nextendedKeyUsage=serverAuth,clientAuth\n" > broker.ext
openssl x509 -req -in broker.csr -CA ca.pem -CAkey ca.key -CAcreateserial -days 365 -out broker.crt \
  -extfile broker.ext 2>/dev/null
openssl pkcs8 -topk8 -nocrypt -in broker.key -out broker.pkcs8.key
cat broker.pkcs8.key broker.crt ca.pem > broker-keystore.pem
echo "certificates in $(pwd): ca.pem (trust it in clients), broker-keystore.pem (the broker's key and chain)"
