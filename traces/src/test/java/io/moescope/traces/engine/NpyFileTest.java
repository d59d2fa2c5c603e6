package io.moescope.traces.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class NpyFileTest {

    /** Two positions, two layers, top-2: ids 0..7 in C order. */
    private static final int[] SHAPE = {2, 2, 2};
    private static final int[] IDS = {0, 1, 2, 3, 4, 5, 6, 7};

    @Test
    void readsTheInt32ArrayVllmSavesAsRowsLayersAndTopK() {
        ExpertGrid grid = NpyFile.routedExperts(EngineWire.npy(1, "<i4", false, SHAPE,
                EngineWire.littleEndian(4, IDS)));
        assertThat(grid).isEqualTo(new ExpertGrid(2, 2, 2, IDS));
        assertThat(grid.at(1, 0)).containsExactly(4, 5);
    }

    @ParameterizedTest
    @ValueSource(ints = {2, 3})
    void readsTheFourByteHeaderLengthOfVersions2And3(int major) {
        ExpertGrid grid = NpyFile.routedExperts(EngineWire.npy(major, "<i4", false, SHAPE,
                EngineWire.littleEndian(4, IDS)));
        assertThat(grid.ids()).containsExactly(IDS);
    }

    @Test
    void readsBigEndianDataByItsByteOrder() {
        ByteBuffer data = ByteBuffer.allocate(32).order(ByteOrder.BIG_ENDIAN);
        Arrays.stream(IDS).forEach(data::putInt);
        assertThat(NpyFile.routedExperts(EngineWire.npy(1, ">i4", false, SHAPE, data.array())).ids())
                .containsExactly(IDS);
    }

    @Test
    void readsUnsignedNarrowTypesAbove127AsTheirUnsignedValue() {
        int[] ids = {200, 255, 0, 1, 128, 129, 2, 3};
        assertThat(NpyFile.routedExperts(EngineWire.npy(1, "|u1", false, SHAPE, EngineWire.littleEndian(1, ids)))
                .ids()).containsExactly(ids);
        assertThat(NpyFile.routedExperts(EngineWire.npy(1, "<u2", false, SHAPE, EngineWire.littleEndian(2, ids)))
                .ids()).containsExactly(ids);
    }

    @Test
    void refusesFortranOrderByName() {
        byte[] npy = EngineWire.npy(1, "<i4", true, SHAPE, EngineWire.littleEndian(4, IDS));
        assertThatThrownBy(() -> NpyFile.routedExperts(npy)).hasMessage(
                ".npy fortran_order True is not supported: routed experts are written in C order");
    }

    @Test
    void refusesAFloatArrayNamingItsDescr() {
        byte[] npy = EngineWire.npy(1, "<f4", false, SHAPE, new byte[32]);
        assertThatThrownBy(() -> NpyFile.routedExperts(npy)).hasMessage(".npy descr '<f4' is not supported: expert "
                + "ids must be integers (i1, u1, i2, u2, i4, u4, i8, u8)");
    }

    @Test
    void refusesDataThatDoesNotFillTheDeclaredShapeNamingBothByteCounts() {
        byte[] npy = EngineWire.npy(1, "<i4", false, SHAPE, EngineWire.littleEndian(4, 0, 1, 2, 3, 4, 5, 6));
        assertThatThrownBy(() -> NpyFile.routedExperts(npy)).hasMessage(
                ".npy shape (2, 2, 2) of <i4 needs 32 data bytes but the file holds 28");
    }

    @Test
    void refusesAnArrayThatIsNotPositionsByLayersByTopK() {
        byte[] npy = EngineWire.npy(1, "<i4", false, new int[] {8}, EngineWire.littleEndian(4, IDS));
        assertThatThrownBy(() -> NpyFile.routedExperts(npy)).hasMessage(
                ".npy shape (8) is not [positions, layers, top_k]");
    }

    @Test
    void refusesBytesWithoutTheMagic() {
        assertThatThrownBy(() -> NpyFile.routedExperts(EngineWire.littleEndian(4, IDS))).hasMessage(
                "not a .npy file: it does not start with the magic \\x93NUMPY");
    }

    @Test
    void refusesAnUnknownVersion() {
        byte[] npy = EngineWire.npy(1, "<i4", false, SHAPE, EngineWire.littleEndian(4, IDS));
        npy[6] = 4;
        assertThatThrownBy(() -> NpyFile.routedExperts(npy)).hasMessage(
                ".npy version 4.0 is not supported: 1.0, 2.0 or 3.0");
    }

    @Test
    void refusesAHeaderLongerThanTheFile() {
        byte[] npy = Arrays.copyOf(EngineWire.npy(1, "<i4", false, SHAPE, new byte[0]), 40);
        assertThatThrownBy(() -> NpyFile.routedExperts(npy)).hasMessage(
                ".npy header of 118 bytes but only 30 bytes follow");
    }

    @Test
    void refusesAHeaderWithKeysNumpyDoesNotWrite() {
        byte[] npy = EngineWire.npy(1, "<i4', 'layout': 'x", false, SHAPE, EngineWire.littleEndian(4, IDS));
        assertThatThrownBy(() -> NpyFile.routedExperts(npy)).hasMessage(
                ".npy header has keys other than [descr, fortran_order, shape]: [layout]");
    }
}
