package dev.loraport.cli;

/** The one check of {@code --speed}, shared by the commands that take it. */
final class SpeedCheck {

    private SpeedCheck() {}

    static double check(double speed) {
        if (!(speed > 0)) {
            throw new UsageException("--speed: " + speed + " is out of range; allowed > 0");
        }
        return speed;
    }
}
