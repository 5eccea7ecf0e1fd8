package io.samsa.it.tls;

import java.io.OutputStream;
import java.io.StringWriter;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.concurrent.atomic.AtomicLong;
import javax.security.auth.x500.X500Principal;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * Certificates made in tests with BouncyCastle: a CA, and server/client identities it signs (EC P-256, SAN localhost
 * and 127.0.0.1, server and client auth), written as PKCS12, JKS or PEM key stores and trust stores.
 */
public final class TestPki {
    private static final AtomicLong SERIAL = new AtomicLong(System.currentTimeMillis());

    /** A key pair with its chain (leaf first; a CA's chain is itself). */
    public record Identity(PrivateKey key, X509Certificate[] chain) {
        public X509Certificate certificate() {
            return chain[0];
        }
    }

    private TestPki() {
    }

    public static Identity ca(String dn) throws Exception {
        KeyPair pair = keyPair();
        X509Certificate cert = sign(dn, pair, dn, pair.getPrivate(), true);
        return new Identity(pair.getPrivate(), new X509Certificate[] {cert});
    }

    /** An identity with subject {@code dn} signed by {@code ca}. */
    public static Identity issue(Identity ca, String dn) throws Exception {
        KeyPair pair = keyPair();
        X509Certificate cert = sign(dn, pair, ca.certificate().getSubjectX500Principal().getName(), ca.key(), false);
        return new Identity(pair.getPrivate(), new X509Certificate[] {cert, ca.certificate()});
    }

    /** A PKCS12 or JKS key store with the identity under alias "kafka", the key protected by {@code keyPassword}. */
    public static Path keyStore(Path file, String type, String storePassword, String keyPassword, Identity id)
            throws Exception {
        KeyStore ks = KeyStore.getInstance(type);
        ks.load(null, null);
        ks.setKeyEntry("kafka", id.key(), keyPassword.toCharArray(), id.chain());
        try (OutputStream out = Files.newOutputStream(file)) {
            ks.store(out, storePassword.toCharArray());
        }
        return file;
    }

    /** A PKCS12 or JKS trust store with the CAs' certificates. */
    public static Path trustStore(Path file, String type, String password, Identity... cas) throws Exception {
        KeyStore ks = KeyStore.getInstance(type);
        ks.load(null, null);
        for (int i = 0; i < cas.length; i++) {
            ks.setCertificateEntry("ca" + i, cas[i].certificate());
        }
        try (OutputStream out = Files.newOutputStream(file)) {
            ks.store(out, password.toCharArray());
        }
        return file;
    }

    /** An unencrypted PKCS#8 private key followed by the certificate chain, as Kafka's PEM key store file. */
    public static String pemKeyAndChain(Identity id) throws Exception {
        return pemKey(id) + pemCertificates(id.chain());
    }

    public static String pemKey(Identity id) throws Exception {
        StringWriter text = new StringWriter();
        try (JcaPEMWriter pem = new JcaPEMWriter(text)) {
            pem.writeObject(new JcaPKCS8Generator(id.key(), null));
        }
        return text.toString();
    }

    public static String pemCertificates(Certificate... certs) throws Exception {
        StringWriter text = new StringWriter();
        try (JcaPEMWriter pem = new JcaPEMWriter(text)) {
            for (Certificate c : certs) {
                pem.writeObject(c);
            }
        }
        return text.toString();
    }

    public static Path write(Path file, String text) throws Exception {
        Files.writeString(file, text);
        return file;
    }

    private static KeyPair keyPair() throws Exception {
        KeyPairGenerator gen = KeyPairGenerator.getInstance("EC");
        gen.initialize(new ECGenParameterSpec("secp256r1"));
        return gen.generateKeyPair();
    }

    private static X509Certificate sign(String dn, KeyPair subject, String issuerDn, PrivateKey issuerKey, boolean ca)
            throws Exception {
        Instant now = Instant.now();
        // X500Principal parses RFC 2253 (most significant RDN last), so getName() gives the DN back as written
        JcaX509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(new X500Principal(issuerDn),
                BigInteger.valueOf(SERIAL.incrementAndGet()), Date.from(now.minus(Duration.ofHours(1))),
                Date.from(now.plus(Duration.ofDays(2))), new X500Principal(dn), subject.getPublic());
        builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(ca));
        if (ca) {
            builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
        } else {
            builder.addExtension(Extension.keyUsage, true,
                    new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyEncipherment | KeyUsage.keyAgreement));
            builder.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(
                    new KeyPurposeId[] {KeyPurposeId.id_kp_serverAuth, KeyPurposeId.id_kp_clientAuth}));
            builder.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(new GeneralName[] {
                    new GeneralName(GeneralName.dNSName, "localhost"),
                    new GeneralName(GeneralName.iPAddress, "127.0.0.1")}));
        }
        return new JcaX509CertificateConverter().getCertificate(
                builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(issuerKey)));
    }
}
