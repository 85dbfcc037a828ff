package io.jenkins.plugins.quire.e2e;

/**
 * Java agent for running hudson.war 1.395 on modern JDKs: XStream 1.3.1 only enables its reflection provider for
 * known JVM vendors and Hudson then refuses to start, and the VM owns {@code java.vm.vendor}, so it must be set at
 * run time before XStream loads (docs/architecture.md).
 */
public final class VendorFixAgent {
    private VendorFixAgent() {}

    public static void premain(String args) {
        String vendor = System.getProperty("java.vm.vendor", "");
        if (!vendor.contains("Oracle") && !vendor.contains("Sun")) {
            System.setProperty("java.vm.vendor", "Oracle Corporation");
        }
    }
}
