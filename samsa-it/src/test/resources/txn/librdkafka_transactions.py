"""librdkafka's transactional producer (Debian's python3-confluent-kafka) for LibrdkafkaTransactionsIT.

Usage: librdkafka_transactions.py BOOTSTRAP TOPIC TRANSACTIONAL_ID
Commits committed-0..9, aborts aborted-0..4 (flushed to the log first), commits committed-10..14, then fences
itself with a second producer of the same transactional.id and checks that the first can no longer commit.
Prints one line per step; exits non-zero on any failure.
"""
import sys

from confluent_kafka import KafkaException, Producer

bootstrap, topic, txn_id = sys.argv[1:4]


def producer():
    p = Producer({"bootstrap.servers": bootstrap, "transactional.id": txn_id, "transaction.timeout.ms": 60000})
    p.init_transactions(30)
    return p


def send(p, values):
    for v in values:
        p.produce(topic, key=v, value=v)
    p.flush(30)


first = producer()
print("initialised", flush=True)

first.begin_transaction()
send(first, ["committed-%d" % i for i in range(10)])
first.commit_transaction(30)
print("committed 10", flush=True)

first.begin_transaction()
send(first, ["aborted-%d" % i for i in range(5)])
first.abort_transaction(30)
print("aborted 5", flush=True)

first.begin_transaction()
send(first, ["committed-%d" % i for i in range(10, 15)])
first.commit_transaction(30)
print("committed 5", flush=True)

first.begin_transaction()
send(first, ["zombie-0"])
successor = producer()  # fences `first` and aborts its open transaction
print("successor initialised", flush=True)
try:
    first.commit_transaction(30)
    print("zombie committed", flush=True)
    sys.exit(1)
except KafkaException as e:
    print("zombie fenced: %s" % e.args[0].name(), flush=True)
successor.begin_transaction()
send(successor, ["successor-0"])
successor.commit_transaction(30)
print("successor committed 1", flush=True)
