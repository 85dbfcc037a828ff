package io.jenkins.plugins.quire.jenkins;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Stapler 1.155 reads the classes it binds ({@code @DataBoundConstructor}, {@code @QueryParameter}) with ASM 2.2.3,
 * which fails on {@code invokedynamic} (lambdas, string concatenation under Java 9+). This reads the constant pool of
 * those classes and fails when one holds an InvokeDynamic entry (docs/architecture.md).
 */
class StaplerBytecodeTest {
    private static final int CONSTANT_INVOKE_DYNAMIC = 18;

    @Test
    void classesStaplerIntrospectsHaveNoInvokeDynamic() throws IOException {
        for (Class<?> c : List.of(QuireBuilder.class, QuireBuilder.DescriptorImpl.class, SecretEntry.class,
                SecretEntry.DescriptorImpl.class, QuireCachesAction.class, QuireCachesAction.Row.class)) {
            assertEquals(0, invokeDynamicEntries(c), c.getName() + " uses invokedynamic (lambda or string +)");
        }
    }

    @Test
    void theCheckFindsInvokeDynamicWhereItExists() throws IOException {
        // FormChecks concatenates strings, so javac (release 17) emits invokedynamic there: the check can fail
        assertTrue(invokeDynamicEntries(FormChecks.class) > 0);
    }

    /** Counts CONSTANT_InvokeDynamic entries in the class file's constant pool (JVMS §4.4). */
    static int invokeDynamicEntries(Class<?> c) throws IOException {
        String resource = "/" + c.getName().replace('.', '/') + ".class";
        try (InputStream raw = c.getResourceAsStream(resource)) {
            assertNotNull(raw, resource);
            DataInputStream in = new DataInputStream(raw);
            assertEquals(0xCAFEBABE, in.readInt());
            in.readUnsignedShort(); // minor
            in.readUnsignedShort(); // major
            int count = in.readUnsignedShort();
            int found = 0;
            for (int i = 1; i < count; i++) {
                int tag = in.readUnsignedByte();
                switch (tag) {
                    case 1: in.skipBytes(in.readUnsignedShort()); break;            // Utf8
                    case 3: case 4: in.skipBytes(4); break;                         // Integer, Float
                    case 5: case 6: in.skipBytes(8); i++; break;                    // Long, Double: two slots
                    case 7: case 8: case 16: case 19: case 20: in.skipBytes(2); break; // Class, String, MethodType, Module, Package
                    case 9: case 10: case 11: case 12: in.skipBytes(4); break;      // refs, NameAndType
                    case 15: in.skipBytes(3); break;                                // MethodHandle
                    case 17: in.skipBytes(4); break;                                // Dynamic
                    case CONSTANT_INVOKE_DYNAMIC: in.skipBytes(4); found++; break;
                    default: throw new IOException("unknown constant pool tag " + tag + " in " + resource);
                }
            }
            return found;
        }
    }
}
