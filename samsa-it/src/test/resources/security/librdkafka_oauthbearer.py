"""librdkafka (Debian's python3-confluent-kafka) with SASL OAUTHBEARER and a JWT handed over by oauth_cb.

Usage: librdkafka_oauthbearer.py BOOTSTRAP TOPIC TOKEN_FILE MODE
  MODE roundtrip: produce three records and read them back; prints "produced 3" and "consumed a,b,c"
  MODE refused:   connect with the token and wait for the broker's refusal; prints "refused: <reason>"
"""
import sys
import time

from confluent_kafka import Consumer, KafkaError, Producer, TopicPartition

bootstrap, topic, token_file, mode = sys.argv[1:5]
with open(token_file) as f:
    token = f.read().strip()
errors = []


def oauth(_config):
    return token, time.time() + 3600


def security():
    return {
        "bootstrap.servers": bootstrap,
        "security.protocol": "SASL_PLAINTEXT",
        "sasl.mechanisms": "OAUTHBEARER",
        "oauth_cb": oauth,
        "error_cb": errors.append,
    }


if mode == "refused":
    producer = Producer(security())
    deadline = time.time() + 30
    while time.time() < deadline:
        producer.poll(0.2)
        auth = [e for e in errors if e.code() == KafkaError._AUTHENTICATION]
        if auth:
            print("refused: " + auth[0].str())
            sys.exit(0)
    print("not refused: %s" % errors)
    sys.exit(1)

producer = Producer(security())
for value in ("a", "b", "c"):
    producer.produce(topic, value=value.encode())
if producer.flush(30) != 0:
    print("flush failed: %s" % errors)
    sys.exit(1)
print("produced 3")

config = security()
config.update({"group.id": "oauth-readers", "enable.auto.commit": False})
consumer = Consumer(config)
consumer.assign([TopicPartition(topic, 0, 0)])
seen = []
deadline = time.time() + 30
while len(seen) < 3 and time.time() < deadline:
    message = consumer.poll(0.5)
    if message is not None and message.error() is None:
        seen.append(message.value().decode())
consumer.close()
print("consumed " + ",".join(seen))
sys.exit(0 if seen == ["a", "b", "c"] else 1)
